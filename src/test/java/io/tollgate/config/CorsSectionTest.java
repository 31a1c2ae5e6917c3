package io.tollgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code routes[].cors} and the bootstrap file's {@code webOrigins}: every problem at once, each naming its key. */
class CorsSectionTest {
  static JsonObject withCors(JsonObject cors) {
    return new JsonObject().put("routes", new JsonArray().add(new JsonObject().put("path", "/v1/")
        .put("backends", new JsonArray().add("http://127.0.0.1:9000")).put("cors", cors)));
  }

  @Test
  void aRouteWithoutCorsHasNoneAndOneWithOnlyOriginsGetsTheDefaults() {
    JsonObject none = withCors(null);
    none.getJsonArray("routes").getJsonObject(0).remove("cors");
    assertNull(ConfigLoader.parse(none).routes().get(0).cors());
    TollgateConfig.Cors cors = ConfigLoader.parse(withCors(new JsonObject()
        .put("origins", new JsonArray().add("https://app.example").add("http://localhost:5173")))).routes().get(0).cors();
    assertEquals(List.of("https://app.example", "http://localhost:5173"), cors.origins());
    assertEquals(List.of("GET", "HEAD", "POST"), cors.methods());
    assertEquals(List.of("Authorization", "Content-Type"), cors.headers());
    assertEquals(600, cors.maxAge());
  }

  @Test
  void everyBadOriginMethodHeaderAndMaxAgeIsReportedNamingItsKey() {
    JsonObject json = withCors(new JsonObject()
        .put("origins", new JsonArray().add("https://app.example/").add("https://*.example").add("ftp://x.example")
            .add("https://app.example/path").add("https://App.example").add("https://app.example:443")
            .add("http://ok.example").add("http://ok.example"))
        .put("methods", new JsonArray().add("get").add("TRACE").add("*").add("PUT"))
        .put("headers", new JsonArray().add("*").add("Bad Header").add("X-Trace"))
        .put("maxAge", 999_999)
        .put("credentials", true));
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(json));
    List<String> problems = e.problems();
    String all = String.join("\n", problems);
    assertEquals(14, problems.size(), all);
    assertTrue(problems.stream().allMatch(p -> p.startsWith("routes[0].cors.")), all);
    assertTrue(all.contains("routes[0].cors.origins: 'https://app.example/' ends with /"), all);
    assertTrue(all.contains("routes[0].cors.origins: 'https://*.example': no wildcards"), all);
    assertTrue(all.contains("routes[0].cors.origins: 'ftp://x.example' is not an origin"), all);
    assertTrue(all.contains("routes[0].cors.origins: 'https://app.example/path' is not an origin"), all);
    assertTrue(all.contains("routes[0].cors.origins: 'https://App.example': write it in lower case"), all);
    assertTrue(all.contains("routes[0].cors.origins: 'https://app.example:443': leave out the default port"), all);
    assertTrue(all.contains("routes[0].cors.origins: 'http://ok.example' is listed twice"), all);
    assertTrue(all.contains("routes[0].cors.methods: write \"get\" in capitals"), all);
    assertTrue(all.contains("routes[0].cors.methods: TRACE is a method browsers never send"), all);
    assertTrue(all.contains("routes[0].cors.methods: not a method name: \"*\""), all);
    assertTrue(all.contains("routes[0].cors.headers: not a header name: \"*\""), all);
    assertTrue(all.contains("routes[0].cors.headers: not a header name: \"Bad Header\""), all);
    assertTrue(all.contains("routes[0].cors.maxAge: must be between 0 and 86400"), all);
    assertTrue(all.contains("routes[0].cors.credentials: unknown key"), all);
  }

  @Test
  void aCorsWithoutOriginsIsRefused() {
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(withCors(new JsonObject())));
    assertEquals(List.of("routes[0].cors.origins: needs at least one origin, e.g. https://app.example"), e.problems());
  }

  @Test
  void theBootstrapFilesWebOriginsAreCheckedNamingTheClient() {
    JsonObject file = new JsonObject().put("clients", new JsonArray()
        .add(new JsonObject().put("id", "ok").put("public", true).put("grant", "authorization_code")
            .put("webOrigins", new JsonArray().add("https://spa.example").add("http://[::1]:8080")))
        .add(new JsonObject().put("id", "bad").put("public", true).put("grant", "authorization_code")
            .put("webOrigins", new JsonArray().add("https://spa.example/").add("*"))));
    ConfigException e = assertThrows(ConfigException.class, () -> BootstrapFile.parse(file));
    assertEquals(2, e.problems().size(), e.problems().toString());
    assertTrue(e.problems().get(0).startsWith("bootstrap.clients[1].webOrigins: 'https://spa.example/' ends with /"),
        e.problems().toString());
    assertTrue(e.problems().get(1).startsWith("bootstrap.clients[1].webOrigins: '*': no wildcards"),
        e.problems().toString());
    file.getJsonArray("clients").remove(1);
    assertEquals(List.of("https://spa.example", "http://[::1]:8080"),
        BootstrapFile.parse(file).clients().get(0).webOrigins());
  }

  @Test
  void theShippedBootstrapRegistersTheSpaOrigin() throws Exception {
    JsonObject file = new JsonObject(new org.yaml.snakeyaml.Yaml().<java.util.Map<String, Object>>load(
        java.nio.file.Files.readString(java.nio.file.Path.of("conf/bootstrap.yaml"))));
    BootstrapFile.ClientSpec spa = BootstrapFile.parse(file).clients().stream()
        .filter(c -> c.id().equals("spa-public")).findFirst().orElseThrow();
    assertEquals(List.of("https://spa.example"), spa.webOrigins());
  }
}
