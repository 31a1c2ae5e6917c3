package io.tollgate.admin;

import static io.tollgate.TestTollgate.json;
import static io.tollgate.admin.AdminCalls.CLI;
import static io.tollgate.admin.AdminCalls.PASSWORD_CLIENT;
import static io.tollgate.admin.AdminCalls.error;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tollgate.TestTollgate;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** README "Admin API": the admin API accepts only Bearer tokens carrying the {@code admin} scope (RFC 6750 answers). */
class AdminAuthTest {
  static TestTollgate tollgate;

  @BeforeAll
  static void start() {
    tollgate = TestTollgate.start("admin_auth");
  }

  @AfterAll
  static void stop() {
    tollgate.close();
  }

  @Test
  void withoutATokenItIs401WithABareChallenge() {
    HttpResponse<String> answer = new AdminCalls(tollgate, null).get("/admin/users");
    assertEquals(401, answer.statusCode());
    assertEquals("Bearer realm=\"tollgate\"", answer.headers().firstValue("WWW-Authenticate").orElseThrow());
    assertEquals("invalid_token", error(answer));
  }

  @Test
  void aBadTokenIs401InvalidToken() {
    HttpResponse<String> answer = new AdminCalls(tollgate, "not.a.jwt").get("/admin/users");
    assertEquals(401, answer.statusCode());
    assertEquals("Bearer realm=\"tollgate\", error=\"invalid_token\"",
        answer.headers().firstValue("WWW-Authenticate").orElseThrow());
  }

  @Test
  void aTokenWithoutTheAdminScopeIs403InsufficientScope() {
    String userToken = json(tollgate.postForm("/token", PASSWORD_CLIENT, "grant_type", "password",
        "username", "admin@profix-it.nl", "password", "admin-password")).getString("access_token");
    HttpResponse<String> answer = new AdminCalls(tollgate, userToken).get("/admin/users");
    assertEquals(403, answer.statusCode(), "even the admin user, through a client without the admin scope");
    assertEquals("insufficient_scope", error(answer));
    assertTrue(answer.headers().firstValue("WWW-Authenticate").orElseThrow().contains("scope=\"admin\""));
    String clientToken = json(tollgate.postForm("/token", "s6BhdRkqt3:gX1fBat3bV", "grant_type",
        "client_credentials")).getString("access_token");
    assertEquals(403, new AdminCalls(tollgate, clientToken).post("/admin/roles", "{}").statusCode());
  }

  @Test
  void aUserWithoutTheAdminRoleGetsNoAdminToken() {
    HttpResponse<String> answer = tollgate.postForm("/token", CLI, "grant_type", "password",
        "username", "demo@profix-it.nl", "password", "demo-password", "scope", "admin");
    assertEquals("invalid_scope", error(answer));
    String token = json(tollgate.postForm("/token", CLI, "grant_type", "password",
        "username", "demo@profix-it.nl", "password", "demo-password")).getString("access_token");
    assertEquals(403, new AdminCalls(tollgate, token).get("/admin/users").statusCode());
  }

  @Test
  void theAdminTokenWorksAndARevokedOneIsRefusedWithinASecond() {
    String token = AdminCalls.adminToken(tollgate);
    AdminCalls admin = new AdminCalls(tollgate, token);
    assertEquals(200, admin.get("/admin/users").statusCode());
    assertEquals(200, tollgate.postForm("/token/revoke", CLI, "token", token).statusCode());
    long deadline = System.currentTimeMillis() + 1_000;
    int status = admin.get("/admin/users").statusCode();
    while (status != 401 && System.currentTimeMillis() < deadline) {
      status = admin.get("/admin/users").statusCode();
    }
    assertEquals(401, status);
  }

  @Test
  void theTokenIsNotTakenFromTheQuery() {
    String token = AdminCalls.adminToken(tollgate);
    HttpResponse<String> answer = tollgate.get("/admin/users?_bearer_token=" + token);
    assertEquals(401, answer.statusCode());
  }

  @Test
  void adminPathsNeverFallThroughToTheGateway() {
    AdminCalls admin = new AdminCalls(tollgate);
    assertEquals(401, new AdminCalls(tollgate, null).get("/admin/anything").statusCode(),
        "authentication comes first, even for paths that do not exist");
    HttpResponse<String> unknown = admin.get("/admin/anything");
    assertEquals(404, unknown.statusCode());
    assertEquals("no admin endpoint at this path", AdminCalls.description(unknown));
    HttpResponse<String> wrongMethod = admin.send("PATCH", "/admin/users/456", "{}");
    assertEquals(405, wrongMethod.statusCode());
    assertEquals("GET, PUT, DELETE", wrongMethod.headers().firstValue("Allow").orElseThrow());
    assertEquals("POST", admin.get("/admin/users/456/password").headers().firstValue("Allow").orElseThrow());
    assertEquals(405, admin.delete("/admin/clients").statusCode());
    HttpResponse<String> bare = tollgate.send(HttpRequest.newBuilder(tollgate.uri("/admin")).GET().build());
    assertEquals(401, bare.statusCode());
  }
}
