package io.tollgate.admin;

import static io.tollgate.TestTollgate.json;
import static io.tollgate.admin.AdminCalls.PASSWORD_CLIENT;
import static io.tollgate.admin.AdminCalls.error;
import static io.tollgate.admin.ClientsResourceTest.fieldOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

/** {@code /admin/roles}: CRUD, paging, validation; a role's scopes shape the next token at once. */
class RolesResourceTest {
  static TestTollgate tollgate;
  static AdminCalls admin;

  @BeforeAll
  static void start() {
    tollgate = TestTollgate.start("admin_roles");
    admin = new AdminCalls(tollgate);
  }

  @AfterAll
  static void stop() {
    tollgate.close();
  }

  static JsonObject role(String name, String... scopes) {
    return new JsonObject().put("name", name).put("scopes", new JsonArray(List.of(scopes)));
  }

  private static String scopeOfLogin(String username, String password) {
    return json(tollgate.postForm("/token", PASSWORD_CLIENT, "grant_type", "password", "username", username,
        "password", password)).getString("scope");
  }

  @Test
  void createReadUpdateDelete() {
    HttpResponse<String> created = admin.post("/admin/roles", role("auditor", "profile"));
    assertEquals(201, created.statusCode(), created.body());
    assertEquals("/admin/roles/auditor", created.headers().firstValue("Location").orElseThrow());
    assertEquals(role("auditor", "profile"), json(admin.get("/admin/roles/auditor")));
    HttpResponse<String> put = admin.put("/admin/roles/auditor", new JsonObject().put("scopes",
        new JsonArray().add("profile").add("orders")));
    assertEquals(200, put.statusCode(), put.body());
    assertEquals(role("auditor", "profile", "orders"), json(admin.get("/admin/roles/auditor")));
    assertEquals(204, admin.delete("/admin/roles/auditor").statusCode());
    assertEquals(404, admin.get("/admin/roles/auditor").statusCode());
    assertEquals(404, admin.delete("/admin/roles/auditor").statusCode());
    assertEquals(404, admin.put("/admin/roles/auditor", role("auditor")).statusCode());
  }

  @Test
  void aRolesScopesShapeTheNextTokenOfItsUsers() {
    assertEquals(201, admin.post("/admin/roles", role("reader", "profile")).statusCode());
    assertEquals(201, admin.post("/admin/users", new JsonObject().put("id", "r-1").put("username", "r1@example.com")
        .put("password", "a-long-password").put("roles", new JsonArray().add("reader"))
        .put("requirePasswordChange", false)).statusCode());
    assertEquals("profile", scopeOfLogin("r1@example.com", "a-long-password"));
    admin.put("/admin/roles/reader", role("reader", "profile", "orders"));
    assertEquals("profile orders", scopeOfLogin("r1@example.com", "a-long-password"));
  }

  @Test
  void removingAScopeFromARoleRevokesTheTokensOfItsUsers() {
    assertEquals(201, admin.post("/admin/roles", role("narrowed", "profile", "orders")).statusCode());
    assertEquals(201, admin.post("/admin/users", new JsonObject().put("id", "r-3").put("username", "r3@example.com")
        .put("password", "a-long-password").put("roles", new JsonArray().add("narrowed"))
        .put("requirePasswordChange", false)).statusCode());
    String token = json(tollgate.postForm("/token", PASSWORD_CLIENT, "grant_type", "password",
        "username", "r3@example.com", "password", "a-long-password")).getString("access_token");
    assertEquals(200, admin.put("/admin/roles/narrowed", role("narrowed", "profile", "orders", "extra")).statusCode());
    assertTrue(introspect(token).getBoolean("active"), "adding a scope takes nothing away");
    assertEquals(200, admin.put("/admin/roles/narrowed", role("narrowed", "profile")).statusCode());
    assertFalse(introspect(token).getBoolean("active"));
    assertEquals("profile", scopeOfLogin("r3@example.com", "a-long-password"));
  }

  private static JsonObject introspect(String token) {
    return json(tollgate.postForm("/token/introspect", PASSWORD_CLIENT, "token", token));
  }

  @Test
  void deletingARoleTakesItFromItsUsers() {
    assertEquals(201, admin.post("/admin/roles", role("temporary", "orders")).statusCode());
    assertEquals(201, admin.post("/admin/users", new JsonObject().put("id", "r-2").put("username", "r2@example.com")
        .put("password", "a-long-password").put("roles", new JsonArray().add("consumer").add("temporary"))
        .put("requirePasswordChange", false)).statusCode());
    String token = json(tollgate.postForm("/token", PASSWORD_CLIENT, "grant_type", "password",
        "username", "r2@example.com", "password", "a-long-password")).getString("access_token");
    assertEquals(204, admin.delete("/admin/roles/temporary").statusCode());
    assertFalse(introspect(token).getBoolean("active"), "its holders' tokens carried the role's scopes");
    assertEquals(new JsonArray().add("consumer"), json(admin.get("/admin/users/r-2")).getJsonArray("roles"));
    assertEquals(201, admin.post("/admin/roles", role("temporary", "admin")).statusCode());
    assertEquals("profile orders", scopeOfLogin("r2@example.com", "a-long-password"),
        "a new role with the old name grants nothing to the old holders");
  }

  @Test
  void duplicatesConflictAndUnknownRolesAre404() {
    HttpResponse<String> duplicate = admin.post("/admin/roles", role("consumer", "profile"));
    assertEquals(409, duplicate.statusCode());
    assertEquals("conflict", error(duplicate));
    assertEquals(role("consumer", "profile", "orders"), json(admin.get("/admin/roles/consumer")), "untouched");
    assertEquals(404, admin.get("/admin/roles/nobody").statusCode());
    assertEquals("not_found", error(admin.get("/admin/roles/nobody")));
  }

  @Test
  void invalidRolesAreRefusedNamingTheField() {
    assertEquals("name", fieldOf(admin.post("/admin/roles", new JsonObject().put("scopes", new JsonArray()))));
    assertEquals("name", fieldOf(admin.post("/admin/roles", role("has space"))));
    assertEquals("scopes", fieldOf(admin.post("/admin/roles", role("bad-scope", "a\"b"))));
    assertEquals("scopes", fieldOf(admin.post("/admin/roles", role("dup-scope", "profile", "profile"))));
    assertEquals("name", fieldOf(admin.put("/admin/roles/consumer", role("renamed", "profile"))));
    HttpResponse<String> unknown = admin.post("/admin/roles", role("x").put("description", "y"));
    assertEquals(400, unknown.statusCode());
    assertTrue(AdminCalls.description(unknown).contains("'description'"));
  }

  @Test
  void listPagesInNameOrder() {
    for (String name : List.of("pg-b", "pg-c", "pg-a")) {
      assertEquals(201, admin.post("/admin/roles", role(name, "profile")).statusCode());
    }
    JsonObject first = json(admin.get("/admin/roles?limit=2&after=pg-"));
    assertEquals("pg-b", first.getString("next"));
    JsonObject second = json(admin.get("/admin/roles?limit=2&after=pg-b"));
    List<String> names = new ArrayList<>();
    first.getJsonArray("items").forEach(r -> names.add(((JsonObject) r).getString("name")));
    second.getJsonArray("items").forEach(r -> names.add(((JsonObject) r).getString("name")));
    assertEquals(List.of("pg-a", "pg-b", "pg-c"), names.subList(0, 3));
    assertNull(json(admin.get("/admin/roles?limit=200")).getValue("next"));
    assertEquals(400, admin.get("/admin/roles?limit=ten").statusCode());
  }
}
