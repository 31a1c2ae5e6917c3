package io.tollgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {
  @Test
  void theShippedConfigLoadsWithEnvironmentOverrides() {
    Vertx vertx = Vertx.vertx();
    try {
      TollgateConfig config = ConfigLoader.load(vertx, Path.of("conf/tollgate.yaml"),
          Map.of("TOLLGATE_HTTP_PORT", "9999", "TOLLGATE_ISSUER", "https://api.profix-it.be")).await();
      assertEquals(9999, config.http().port());
      assertEquals("https://api.profix-it.be", config.issuer());
      assertTrue(config.database().embedded());
      assertEquals(java.util.List.of("/token", "/authorization/token", "/oauth2/token"), config.endpoints().token());
    } finally {
      vertx.close().await();
    }
  }

  @Test
  void everyProblemIsReportedNamingItsKey() {
    JsonObject json = new JsonObject()
        .put("http", new JsonObject().put("port", "eighty").put("colour", "blue"))
        .put("tokens", new JsonObject().put("signing", new JsonObject().put("algorithm", "none")))
        .put("routes", new io.vertx.core.json.JsonArray().add(new JsonObject().put("path", "/v1/")));
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(json));
    String all = String.join("\n", e.problems());
    assertTrue(all.contains("http.port: expected an integer"), all);
    assertTrue(all.contains("http.colour: unknown key"), all);
    assertTrue(all.contains("tokens.signing.algorithm"), all);
    assertTrue(all.contains("routes[0].backends"), all);
  }

  @Test
  void aMissingKeyFileIsAConfigError() {
    JsonObject json = new JsonObject().put("tokens", new JsonObject().put("signing", new JsonObject()
        .put("keys", new io.vertx.core.json.JsonArray().add(new JsonObject().put("kid", "k1").put("private", "/nope.pem")))));
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(json));
    assertTrue(e.getMessage().contains("tokens.signing.keys[0].private: file /nope.pem does not exist"), e.getMessage());
  }

  @Test
  void anEmptyEndpointListIsRefusedAtLoadNotAtStart() {
    JsonObject json = new JsonObject().put("endpoints", new JsonObject().put("token", new io.vertx.core.json.JsonArray()));
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(json));
    assertEquals(java.util.List.of("endpoints.token: needs at least one path"), e.problems());
  }

  @Test
  void userCredentialsAsClientWithoutThePortalClientIsRefusedAtLoadNotPerRequest() {
    JsonObject json = new JsonObject().put("security", new JsonObject().put("userCredentialsAsClient", true));
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(json));
    assertEquals(1, e.problems().size(), e.problems().toString());
    assertTrue(e.problems().get(0).startsWith("security.userCredentialsAsClient: needs consumerLogin.client"),
        e.problems().get(0));
    json.put("consumerLogin", new JsonObject().put("client", "portal-consumer"));
    assertTrue(ConfigLoader.parse(json).security().userCredentialsAsClient());
  }
}
