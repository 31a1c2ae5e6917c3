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

/** {@code /admin/users}: CRUD, paging, password reset, revocation, validation; no hash ever shown. */
class UsersResourceTest {
  static TestTollgate tollgate;
  static AdminCalls admin;

  @BeforeAll
  static void start() {
    tollgate = TestTollgate.start("admin_users");
    admin = new AdminCalls(tollgate);
  }

  @AfterAll
  static void stop() {
    tollgate.close();
  }

  static JsonObject user(String id, String username) {
    return new JsonObject().put("id", id).put("username", username).put("password", "a-long-password")
        .put("roles", new JsonArray().add("consumer")).put("requirePasswordChange", false);
  }

  static HttpResponse<String> login(String username, String password) {
    return tollgate.postForm("/token", PASSWORD_CLIENT, "grant_type", "password", "username", username,
        "password", password);
  }

  static JsonObject introspect(String token) {
    return json(tollgate.postForm("/token/introspect", PASSWORD_CLIENT, "token", token));
  }

  @Test
  void aCreatedUserCanLogInAndIsShownWithoutThePassword() {
    HttpResponse<String> created = admin.post("/admin/users", user("u-1", "one@example.com"));
    assertEquals(201, created.statusCode(), created.body());
    assertEquals("/admin/users/u-1", created.headers().firstValue("Location").orElseThrow());
    JsonObject read = json(admin.get("/admin/users/u-1"));
    assertEquals("one@example.com", read.getString("username"));
    assertEquals(new JsonArray().add("consumer"), read.getJsonArray("roles"));
    assertFalse(read.containsKey("password"));
    assertFalse(read.containsKey("passwordHash"));
    assertFalse(admin.get("/admin/users?limit=200").body().contains("argon2"), "no hash in any answer");
    JsonObject tokens = json(login("one@example.com", "a-long-password"));
    assertEquals("profile orders", tokens.getString("scope"), "the consumer role's scopes");
  }

  @Test
  void byDefaultANewUserMustChangeTheAdministratorsPassword() {
    JsonObject body = user("u-2", "two@example.com");
    body.remove("requirePasswordChange");
    assertEquals(201, admin.post("/admin/users", body).statusCode());
    JsonObject answer = json(login("two@example.com", "a-long-password"));
    assertEquals(new JsonObject().put("userid", "u-2").put("RequireChangePassword", true), answer);
  }

  @Test
  void aPasswordResetRequiresAChangeAndRevokesEveryTokenOfTheUser() {
    assertEquals(201, admin.post("/admin/users", user("u-3", "three@example.com")).statusCode());
    JsonObject before = json(login("three@example.com", "a-long-password"));
    HttpResponse<String> reset = admin.post("/admin/users/u-3/password",
        new JsonObject().put("password", "temporary-password"));
    assertEquals(200, reset.statusCode(), reset.body());
    assertTrue(json(reset).getBoolean("requirePasswordChange"));
    assertFalse(json(reset).containsKey("password"), "the admin chose it, so it is not echoed");
    assertFalse(introspect(before.getString("access_token")).getBoolean("active"));
    assertFalse(introspect(before.getString("refresh_token")).getBoolean("active"));
    assertEquals("invalid_grant", error(login("three@example.com", "a-long-password")), "the old password is gone");
    assertEquals(new JsonObject().put("userid", "u-3").put("RequireChangePassword", true),
        json(login("three@example.com", "temporary-password")));
    assertTrue(json(admin.get("/admin/users/u-3")).getBoolean("requirePasswordChange"));
    JsonObject changed = json(tollgate.postForm("/token/ChangePassword", PASSWORD_CLIENT, "userid", "u-3",
        "password", "temporary-password", "newpassword", "my-own-password"));
    assertTrue(changed.getBoolean("success"), changed.encode());
    assertEquals(200, login("three@example.com", "my-own-password").statusCode());
  }

  @Test
  void aResetWithoutABodyGeneratesATemporaryPasswordShownOnce() {
    assertEquals(201, admin.post("/admin/users", user("u-4", "four@example.com")).statusCode());
    HttpResponse<String> reset = admin.post("/admin/users/u-4/password", null);
    assertEquals(200, reset.statusCode(), reset.body());
    String temporary = json(reset).getString("password");
    assertTrue(temporary.length() >= 22);
    assertEquals(new JsonObject().put("userid", "u-4").put("RequireChangePassword", true),
        json(login("four@example.com", temporary)));
    assertFalse(admin.get("/admin/users/u-4").body().contains(temporary));
  }

  @Test
  void aResetLiftsTheLockout() {
    assertEquals(201, admin.post("/admin/users", user("u-5", "five@example.com")).statusCode());
    for (int i = 0; i < 5; i++) {
      login("five@example.com", "wrong-password");
    }
    assertEquals("invalid_grant", error(login("five@example.com", "a-long-password")), "locked");
    admin.post("/admin/users/u-5/password", new JsonObject().put("password", "temporary-password"));
    assertEquals(200, login("five@example.com", "temporary-password").statusCode());
  }

  @Test
  void resetPasswordsMustBeLongEnough() {
    assertEquals("password", fieldOf(admin.post("/admin/users/456/password",
        new JsonObject().put("password", "short"))));
    assertEquals("password", fieldOf(admin.post("/admin/users", user("u-6", "six@example.com")
        .put("password", "123456789"))));
    assertEquals(404, admin.get("/admin/users/u-6").statusCode());
    assertEquals(200, login("demo@profix-it.nl", "demo-password").statusCode(), "a refused reset changes nothing");
    assertEquals(404, admin.post("/admin/users/nobody/password", new JsonObject().put("password", "long-enough-1"))
        .statusCode());
  }

  @Test
  void aTabInsideAUsernameIsAcceptedAsThePasswordGrantAcceptsItButALineBreakIsNot() {
    // RFC 6749 Appendix A.15: a username may hold %x09; CR and LF never
    assertEquals("username", fieldOf(admin.post("/admin/users", user("t-2", "line\nbreak@example.com"))));
    assertEquals(201, admin.post("/admin/users", user("t-1", "tab\tinside@example.com")).statusCode());
    assertEquals(200, login("tab\tinside@example.com", "a-long-password").statusCode());
  }

  @Test
  void passwordsOverTheCapOfChangePasswordAreRefusedAsInvalidRequest() {
    HttpResponse<String> tooLong = admin.post("/admin/users/456/password",
        new JsonObject().put("password", "x".repeat(1025)));
    assertEquals("invalid_request", json(tooLong).getString("error"));
    assertEquals("field 'password' must be at most 1024 characters long", AdminCalls.description(tooLong));
    assertEquals(200, login("demo@profix-it.nl", "demo-password").statusCode(), "a refused reset changes nothing");
  }

  @Test
  void revokeKillsEveryTokenOfTheUserButNotTheUser() {
    assertEquals(201, admin.post("/admin/users", user("u-7", "seven@example.com")).statusCode());
    JsonObject first = json(login("seven@example.com", "a-long-password"));
    JsonObject second = json(login("seven@example.com", "a-long-password"));
    JsonObject someoneElse = json(login("demo@profix-it.nl", "demo-password"));
    assertEquals(204, admin.post("/admin/users/u-7/revoke", null).statusCode());
    assertFalse(introspect(first.getString("access_token")).getBoolean("active"));
    assertFalse(introspect(second.getString("refresh_token")).getBoolean("active"));
    assertTrue(introspect(someoneElse.getString("access_token")).getBoolean("active"), "only that user's");
    assertEquals(200, login("seven@example.com", "a-long-password").statusCode());
    assertEquals(404, admin.post("/admin/users/nobody/revoke", null).statusCode());
  }

  @Test
  void deleteRemovesTheUserAndRevokesTheirTokens() {
    assertEquals(201, admin.post("/admin/users", user("u-8", "eight@example.com")).statusCode());
    JsonObject tokens = json(login("eight@example.com", "a-long-password"));
    assertEquals(204, admin.delete("/admin/users/u-8").statusCode());
    assertEquals(404, admin.get("/admin/users/u-8").statusCode());
    assertEquals(404, admin.delete("/admin/users/u-8").statusCode());
    assertFalse(introspect(tokens.getString("access_token")).getBoolean("active"));
    assertEquals("invalid_grant", error(login("eight@example.com", "a-long-password")));
  }

  @Test
  void updateReplacesUsernameAndRolesButNeverThePassword() {
    assertEquals(201, admin.post("/admin/users", user("u-9", "nine@example.com")).statusCode());
    JsonObject change = new JsonObject().put("username", "nine@new.example").put("roles", new JsonArray().add("admin"));
    HttpResponse<String> put = admin.put("/admin/users/u-9", change);
    assertEquals(200, put.statusCode(), put.body());
    assertEquals("nine@new.example", json(admin.get("/admin/users/u-9")).getString("username"));
    assertFalse(json(put).getBoolean("requirePasswordChange"), "an absent flag keeps the stored one");
    assertEquals(200, login("nine@new.example", "a-long-password").statusCode(), "same password, new name");
    assertEquals("password", fieldOf(admin.put("/admin/users/u-9", change.copy().put("password", "new-password-1"))));
    assertEquals("id", fieldOf(admin.put("/admin/users/u-9", change.copy().put("id", "u-10"))));
    assertEquals(404, admin.put("/admin/users/nobody", change).statusCode());
    HttpResponse<String> taken = admin.put("/admin/users/u-9", change.copy().put("username", "demo@profix-it.nl"));
    assertEquals(409, taken.statusCode());
    assertEquals("conflict", error(taken));
  }

  @Test
  void takingARoleAwayRevokesTheUsersTokensButGivingOneDoesNot() {
    assertEquals(201, admin.post("/admin/users", user("u-12", "twelve@example.com")).statusCode());
    String token = json(login("twelve@example.com", "a-long-password")).getString("access_token");
    JsonObject more = new JsonObject().put("username", "twelve@example.com")
        .put("roles", new JsonArray().add("consumer").add("admin"));
    assertEquals(200, admin.put("/admin/users/u-12", more).statusCode());
    assertTrue(introspect(token).getBoolean("active"), "a role given takes nothing away");
    assertEquals(200, admin.put("/admin/users/u-12", more.copy().put("roles", new JsonArray().add("admin")))
        .statusCode());
    assertFalse(introspect(token).getBoolean("active"), "its tokens carried the scopes of the role taken away");
  }

  @Test
  void duplicateIdsAndUsernamesAreConflicts() {
    assertEquals(409, admin.post("/admin/users", user("456", "new@example.com")).statusCode());
    HttpResponse<String> sameName = admin.post("/admin/users", user("u-11", "demo@profix-it.nl"));
    assertEquals(409, sameName.statusCode());
    assertEquals("conflict", error(sameName));
    assertEquals(200, login("demo@profix-it.nl", "demo-password").statusCode(), "the existing user is untouched");
  }

  @Test
  void invalidUsersAreRefusedNamingTheField() {
    assertEquals("roles", fieldOf(admin.post("/admin/users", user("v-1", "v1@example.com")
        .put("roles", new JsonArray().add("superuser")))));
    assertEquals("username", fieldOf(admin.post("/admin/users", user("v-1", "v1@example.com").put("username", ""))));
    assertEquals("username", fieldOf(admin.post("/admin/users", user("v-1", " v1@example.com"))));
    assertEquals("password", fieldOf(admin.post("/admin/users", user("v-1", "v1@example.com").put("password", 1234567890))));
    assertEquals("requirePasswordChange", fieldOf(admin.post("/admin/users", user("v-1", "v1@example.com")
        .put("requirePasswordChange", "yes"))));
    HttpResponse<String> unknown = admin.post("/admin/users", user("v-1", "v1@example.com").put("passwordHash", "x"));
    assertEquals(400, unknown.statusCode());
    assertTrue(AdminCalls.description(unknown).contains("'passwordHash'"));
    assertEquals(415, admin.send("POST", "/admin/users", "text/plain", user("v-1", "v1@example.com").encode())
        .statusCode());
    assertEquals(404, admin.get("/admin/users/v-1").statusCode());
  }

  @Test
  void listPagesInIdOrder() {
    for (String id : List.of("p-3", "p-1", "p-2")) {
      assertEquals(201, admin.post("/admin/users", user(id, id + "@example.com")).statusCode());
    }
    List<String> seen = new ArrayList<>();
    String after = "p-";
    while (after != null) {
      JsonObject page = json(admin.get("/admin/users?limit=1&after=" + after));
      page.getJsonArray("items").forEach(u -> seen.add(((JsonObject) u).getString("id")));
      after = page.getString("next");
      if (seen.size() >= 3) {
        break;
      }
    }
    assertEquals(List.of("p-1", "p-2", "p-3"), seen);
    JsonObject all = json(admin.get("/admin/users?limit=200"));
    assertNull(all.getValue("next"));
    assertTrue(all.getJsonArray("items").size() >= 6, "the bootstrap users and these");
  }
}
