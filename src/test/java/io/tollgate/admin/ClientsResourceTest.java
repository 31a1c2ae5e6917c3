package io.tollgate.admin;

import static io.tollgate.TestTollgate.json;
import static io.tollgate.admin.AdminCalls.description;
import static io.tollgate.admin.AdminCalls.error;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tollgate.TestTollgate;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code /admin/clients}: CRUD, paging, the secret shown once, rotation, revocation, validation. */
class ClientsResourceTest {
  static TestTollgate tollgate;
  static AdminCalls admin;

  @BeforeAll
  static void start() {
    tollgate = TestTollgate.start("admin_clients");
    admin = new AdminCalls(tollgate);
  }

  @AfterAll
  static void stop() {
    tollgate.close();
  }

  static JsonObject ccClient(String id) {
    return new JsonObject().put("id", id).put("grant", "client_credentials").put("scopes", new JsonArray().add("profile"));
  }

  private static HttpResponse<String> clientCredentials(String id, String secret) {
    return tollgate.postForm("/token", id + ":" + secret, "grant_type", "client_credentials");
  }

  @Test
  void aCreatedClientsSecretIsShownOnceAndWorksAtTheTokenEndpoint() {
    HttpResponse<String> created = admin.post("/admin/clients", ccClient("reporting-job"));
    assertEquals(201, created.statusCode(), created.body());
    assertEquals("/admin/clients/reporting-job", created.headers().firstValue("Location").orElseThrow());
    assertEquals("no-store", created.headers().firstValue("Cache-Control").orElseThrow());
    String secret = json(created).getString("secret");
    assertTrue(secret.length() >= 22, "at least 128 bits");
    assertEquals(200, clientCredentials("reporting-job", secret).statusCode());

    JsonObject read = json(admin.get("/admin/clients/reporting-job"));
    assertEquals("client_credentials", read.getString("grant"));
    assertEquals(new JsonArray().add("profile"), read.getJsonArray("scopes"));
    assertFalse(read.getBoolean("refreshTokens"), "client_credentials defaults to no refresh tokens");
    assertFalse(read.containsKey("secret"));
    assertFalse(admin.get("/admin/clients/reporting-job").body().contains("argon2"), "no hash either");
    assertFalse(admin.get("/admin/clients?limit=200").body().contains(secret));
  }

  @Test
  void rotatingTheSecretRetiresTheOldOne() {
    String old = json(admin.post("/admin/clients", ccClient("rotated"))).getString("secret");
    assertEquals(200, clientCredentials("rotated", old).statusCode());
    HttpResponse<String> rotated = admin.post("/admin/clients/rotated/secret", null);
    assertEquals(200, rotated.statusCode(), rotated.body());
    String fresh = json(rotated).getString("secret");
    assertEquals(200, clientCredentials("rotated", fresh).statusCode());
    assertEquals(401, clientCredentials("rotated", old).statusCode());
    assertEquals("invalid_client", error(clientCredentials("rotated", old)));
  }

  @Test
  void aPublicClientGetsNoSecretAndCannotRotateOne() {
    JsonObject spa = new JsonObject().put("id", "spa-2").put("grant", "authorization_code").put("public", true)
        .put("redirectUris", new JsonArray().add("https://spa.example/cb"));
    HttpResponse<String> created = admin.post("/admin/clients", spa);
    assertEquals(201, created.statusCode(), created.body());
    assertFalse(json(created).containsKey("secret"));
    assertTrue(json(created).getBoolean("public"));
    assertEquals(400, admin.post("/admin/clients/spa-2/secret", null).statusCode());
  }

  @Test
  void aMissingIdIsGenerated() {
    HttpResponse<String> created = admin.post("/admin/clients", ccClient("x").copy().put("id", null));
    assertEquals(201, created.statusCode(), created.body());
    String id = json(created).getString("id");
    assertEquals(36, id.length(), "a UUID");
    assertEquals(200, admin.get("/admin/clients/" + id).statusCode());
  }

  @Test
  void updateReplacesTheClientAndKeepsTheSecret() {
    String secret = json(admin.post("/admin/clients", ccClient("updated"))).getString("secret");
    JsonObject changed = new JsonObject().put("grant", "client_credentials")
        .put("scopes", new JsonArray().add("profile").add("orders")).put("accessTtl", 120);
    HttpResponse<String> put = admin.put("/admin/clients/updated", changed);
    assertEquals(200, put.statusCode(), put.body());
    assertEquals(120, json(admin.get("/admin/clients/updated")).getInteger("accessTtl"));
    JsonObject token = json(tollgate.postForm("/token", "updated:" + secret, "grant_type", "client_credentials",
        "scope", "orders"));
    assertEquals("orders", token.getString("scope"), "the new scope is granted at once");
    assertEquals(120, token.getInteger("expires_in"));
    assertEquals(404, admin.put("/admin/clients/nobody", changed).statusCode());
    assertEquals("public", fieldOf(admin.put("/admin/clients/updated", changed.copy().put("public", true)
        .put("grant", "authorization_code").put("redirectUris", new JsonArray().add("https://a.example/cb")))));
    assertEquals(400, admin.put("/admin/clients/updated", changed.copy().put("id", "other")).statusCode());
  }

  @Test
  void narrowingAClientsScopesRevokesItsTokensButWideningDoesNot() {
    JsonObject spec = ccClient("narrowed").put("refreshTokens", true)
        .put("scopes", new JsonArray().add("profile").add("orders"));
    String secret = json(admin.post("/admin/clients", spec)).getString("secret");
    String token = json(clientCredentials("narrowed", secret)).getString("access_token");
    spec.remove("id");
    assertEquals(200, admin.put("/admin/clients/narrowed", spec.copy()
        .put("scopes", new JsonArray().add("profile").add("orders").add("extra"))).statusCode());
    assertTrue(introspect(token).getBoolean("active"), "a scope added takes nothing away");
    assertEquals(200, admin.put("/admin/clients/narrowed", spec.copy().put("scopes", new JsonArray().add("profile")))
        .statusCode());
    assertFalse(introspect(token).getBoolean("active"), "it carried a scope the client may no longer have");
  }

  @Test
  void deleteRemovesTheClientAndRevokesItsTokens() {
    String secret = json(admin.post("/admin/clients", ccClient("doomed").put("refreshTokens", true))).getString("secret");
    JsonObject tokens = json(clientCredentials("doomed", secret));
    assertEquals(204, admin.delete("/admin/clients/doomed").statusCode());
    assertEquals(404, admin.get("/admin/clients/doomed").statusCode());
    assertEquals(404, admin.delete("/admin/clients/doomed").statusCode());
    assertEquals(401, clientCredentials("doomed", secret).statusCode());
    assertFalse(introspect(tokens.getString("access_token")).getBoolean("active"));
    assertFalse(introspect(tokens.getString("refresh_token")).getBoolean("active"));
  }

  @Test
  void revokeKillsEveryTokenOfTheClientButNotTheClient() {
    String secret = json(admin.post("/admin/clients", ccClient("revoked").put("refreshTokens", true))).getString("secret");
    JsonObject first = json(clientCredentials("revoked", secret));
    JsonObject second = json(clientCredentials("revoked", secret));
    assertTrue(introspect(first.getString("access_token")).getBoolean("active"));
    assertEquals(204, admin.post("/admin/clients/revoked/revoke", null).statusCode());
    assertFalse(introspect(first.getString("access_token")).getBoolean("active"));
    assertFalse(introspect(second.getString("access_token")).getBoolean("active"));
    assertFalse(introspect(second.getString("refresh_token")).getBoolean("active"));
    assertTrue(introspect(json(clientCredentials("revoked", secret)).getString("access_token")).getBoolean("active"),
        "a new token after the revocation is fine");
    assertEquals(404, admin.post("/admin/clients/nobody/revoke", null).statusCode());
  }

  @Test
  void listPagesInIdOrderWithoutGapsOrRepeats() {
    for (String id : List.of("page-c", "page-a", "page-e", "page-b", "page-d")) {
      assertEquals(201, admin.post("/admin/clients", ccClient(id)).statusCode());
    }
    List<String> seen = new ArrayList<>();
    String after = "page-";
    do {
      JsonObject page = json(admin.get("/admin/clients?limit=2&after=" + after));
      assertTrue(page.getJsonArray("items").size() <= 2);
      page.getJsonArray("items").forEach(item -> seen.add(((JsonObject) item).getString("id")));
      after = page.getString("next");
    } while (after != null && after.startsWith("page-"));
    assertEquals(List.of("page-a", "page-b", "page-c", "page-d", "page-e"), seen.subList(0, 5));
    JsonObject all = json(admin.get("/admin/clients?limit=200"));
    assertNull(all.getValue("next"), "the last page says so");
    assertTrue(all.getJsonArray("items").stream().anyMatch(c -> ((JsonObject) c).getString("id").equals("s6BhdRkqt3")));
    assertEquals(400, admin.get("/admin/clients?limit=0").statusCode());
    assertEquals(400, admin.get("/admin/clients?limit=201").statusCode());
    assertEquals(400, admin.get("/admin/clients?offset=3").statusCode());
  }

  @Test
  void creatingAnExistingIdIsAConflict() {
    HttpResponse<String> duplicate = admin.post("/admin/clients", ccClient("s6BhdRkqt3"));
    assertEquals(409, duplicate.statusCode());
    assertEquals("conflict", error(duplicate));
    assertEquals(401, clientCredentials("s6BhdRkqt3", "whatever").statusCode());
    assertEquals(200, clientCredentials("s6BhdRkqt3", "gX1fBat3bV").statusCode(), "the existing client is untouched");
  }

  @Test
  void unknownClientsAre404() {
    assertEquals(404, admin.get("/admin/clients/nobody").statusCode());
    assertEquals("not_found", error(admin.get("/admin/clients/nobody")));
    assertEquals(404, admin.post("/admin/clients/nobody/secret", null).statusCode());
  }

  @Test
  void invalidClientsAreRefusedNamingTheField() {
    assertEquals("grant", fieldOf(admin.post("/admin/clients", ccClient("v1").put("grant", "implicit"))));
    assertEquals("grant", fieldOf(admin.post("/admin/clients", ccClient("v1").put("grant", "refresh_token"))));
    assertEquals("grant", fieldOf(admin.post("/admin/clients", ccClient("v1").put("grant", null))));
    assertEquals("secret", fieldOf(admin.post("/admin/clients", ccClient("v1").put("secret", "mine"))));
    assertEquals("public", fieldOf(admin.post("/admin/clients", ccClient("v1").put("public", true))));
    assertEquals("scopes", fieldOf(admin.post("/admin/clients", ccClient("v1").put("scopes", "profile"))));
    assertEquals("scopes", fieldOf(admin.post("/admin/clients", ccClient("v1").put("scopes", new JsonArray().add("a b")))));
    assertEquals("defaultScopes", fieldOf(admin.post("/admin/clients", ccClient("v1")
        .put("defaultScopes", new JsonArray().add("orders")))));
    assertEquals("accessTtl", fieldOf(admin.post("/admin/clients", ccClient("v1").put("accessTtl", 0))));
    assertEquals("id", fieldOf(admin.post("/admin/clients", ccClient("with/slash"))));
    assertEquals("id", fieldOf(admin.post("/admin/clients", ccClient("colon:id"))));
    JsonObject code = new JsonObject().put("id", "v2").put("grant", "authorization_code");
    assertEquals("redirectUris", fieldOf(admin.post("/admin/clients", code)));
    for (String bad : List.of("/relative/cb", "https://a.example/cb#frag", "http://a.example/cb",
        "javascript:alert(1)", "https:///nohost", "not a uri")) {
      assertEquals("redirectUris", fieldOf(admin.post("/admin/clients", code.copy()
          .put("redirectUris", new JsonArray().add(bad)))), bad);
    }
    for (String good : List.of("https://a.example/cb?x=1", "http://localhost:8123/cb", "com.example.app:/cb",
        "urn:ietf:wg:oauth:2.0:oob")) {
      String id = "ok-" + Integer.toHexString(good.hashCode());
      assertEquals(201, admin.post("/admin/clients", code.copy().put("id", id)
          .put("redirectUris", new JsonArray().add(good))).statusCode(), good);
    }
    HttpResponse<String> unknown = admin.post("/admin/clients", ccClient("v1").put("colour", "blue"));
    assertEquals(400, unknown.statusCode());
    assertEquals("invalid_request", error(unknown));
    assertTrue(description(unknown).contains("'colour'"), description(unknown));
    assertEquals(404, admin.get("/admin/clients/v1").statusCode(), "nothing was created by a refused request");
  }

  @Test
  void bodiesMustBeAJsonObject() {
    HttpResponse<String> form = admin.send("POST", "/admin/clients", "application/x-www-form-urlencoded",
        "id=x&grant=password");
    assertEquals(415, form.statusCode());
    assertEquals("invalid_request", error(form));
    assertEquals(415, admin.send("POST", "/admin/clients", null, "{}").statusCode());
    assertEquals(400, admin.send("POST", "/admin/clients", "{\"id\": ").statusCode());
    assertEquals(400, admin.send("POST", "/admin/clients", "[1, 2]").statusCode());
    assertEquals(400, admin.send("POST", "/admin/clients", "").statusCode());
    HttpResponse<String> huge = admin.send("POST", "/admin/clients",
        ccClient("huge").put("redirectUris", new JsonArray().add("https://a.example/" + "x".repeat(70_000))).encode());
    assertEquals(413, huge.statusCode());
    assertEquals("invalid_request", error(huge));
  }

  static JsonObject introspect(String token) {
    return json(tollgate.postForm("/token/introspect", AdminCalls.PASSWORD_CLIENT, "token", token));
  }

  /** The field a 400 names: the text between the first quotes of {@code "field 'x' ..."}. */
  static String fieldOf(HttpResponse<String> response) {
    assertEquals(400, response.statusCode(), response.body());
    assertEquals("invalid_request", error(response));
    String description = description(response);
    assertTrue(description.startsWith("field '"), description);
    return description.substring(7, description.indexOf('\'', 7));
  }
}
