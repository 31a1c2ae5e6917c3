package io.tollgate.admin;

import static io.tollgate.TestTollgate.json;
import static io.tollgate.admin.AdminCalls.PASSWORD_CLIENT;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tollgate.TestTollgate;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 7: admin changes take effect on every instance without a restart. Two instances share one
 * database (and so one signing key); every change is made at {@code first} and observed at {@code second}.
 */
class AdminAcrossInstancesTest {
  static Vertx backendVertx;
  static TestTollgate first;
  static TestTollgate second;
  static AdminCalls admin;

  @BeforeAll
  static void start() {
    backendVertx = Vertx.vertx();
    HttpServer backend = backendVertx.createHttpServer()
        .requestHandler(req -> req.response().end("{\"ok\":true}")).listen(0, "127.0.0.1").await();
    JsonObject config = TestTollgate.config("admin_instances");
    config.put("routes", new JsonArray().add(new JsonObject().put("path", "/echo/")
        .put("backends", new JsonArray().add("http://127.0.0.1:" + backend.actualPort()))));
    first = TestTollgate.start(config);
    second = TestTollgate.start(config);
    admin = new AdminCalls(first);
  }

  @AfterAll
  static void stop() {
    second.close();
    first.close();
    backendVertx.close().await();
  }

  @Test
  void aClientCreatedAtOneInstanceGetsTokensAtTheOther() {
    String secret = json(admin.post("/admin/clients", new JsonObject().put("id", "made-at-first")
        .put("grant", "client_credentials").put("scopes", new JsonArray().add("profile")))).getString("secret");
    String token = json(second.postForm("/token", "made-at-first:" + secret, "grant_type", "client_credentials"))
        .getString("access_token");
    assertEquals(200, call(second, token));
  }

  @Test
  void revokingAClientWithoutRefreshTokensKillsItsAccessTokensOnTheOtherInstance() {
    // no refresh tokens, so no family: only the client's not-before marker can reach these tokens
    String secret = json(admin.post("/admin/clients", new JsonObject().put("id", "no-family")
        .put("grant", "client_credentials").put("scopes", new JsonArray().add("profile")))).getString("secret");
    String token = json(second.postForm("/token", "no-family:" + secret, "grant_type", "client_credentials"))
        .getString("access_token");
    assertEquals(200, call(second, token), "valid before, and now cached by the gateway");
    assertEquals(204, admin.post("/admin/clients/no-family/revoke", null).statusCode());
    assertEquals(401, awaitStatus(second, token, 401, 1_000));
    assertEquals(false, json(second.postForm("/token/introspect", "no-family:" + secret, "token", token))
        .getBoolean("active"));
  }

  @Test
  void aRotatedSecretIsRefusedAtTheOtherInstanceWithinASecond() {
    String old = json(admin.post("/admin/clients", new JsonObject().put("id", "rotated-at-first")
        .put("grant", "client_credentials"))).getString("secret");
    assertEquals(200, second.postForm("/token", "rotated-at-first:" + old, "grant_type", "client_credentials")
        .statusCode(), "and the second instance remembers this secret as verified");
    String fresh = json(admin.post("/admin/clients/rotated-at-first/secret", null)).getString("secret");
    // the second instance caches the client until the NOTIFY of the change arrives (issue 15)
    assertEquals(true, ClientsAcrossInstancesTest.within(1_000, () -> second.postForm("/token",
        "rotated-at-first:" + old, "grant_type", "client_credentials").statusCode() == 401));
    assertEquals(200, second.postForm("/token", "rotated-at-first:" + fresh, "grant_type", "client_credentials")
        .statusCode());
  }

  @Test
  void aUserRevokedAtOneInstanceIsRefusedByTheOthersGatewayWithinASecond() {
    String token = json(second.postForm("/token", PASSWORD_CLIENT, "grant_type", "password",
        "username", "demo@profix-it.nl", "password", "demo-password")).getString("access_token");
    assertEquals(200, call(second, token), "valid before, and now cached by the gateway");
    assertEquals(204, admin.post("/admin/users/456/revoke", null).statusCode());
    assertEquals(401, awaitStatus(second, token, 401, 1_000));
  }

  @Test
  void aClientDeletedAtOneInstanceLosesItsTokensAtTheOtherWithinASecond() {
    String secret = json(admin.post("/admin/clients", new JsonObject().put("id", "deleted-at-first")
        .put("grant", "client_credentials").put("refreshTokens", true).put("scopes", new JsonArray().add("profile"))))
        .getString("secret");
    String token = json(second.postForm("/token", "deleted-at-first:" + secret, "grant_type", "client_credentials"))
        .getString("access_token");
    assertEquals(200, call(second, token));
    assertEquals(204, admin.delete("/admin/clients/deleted-at-first").statusCode());
    assertEquals(401, awaitStatus(second, token, 401, 1_000));
    assertEquals(401, second.postForm("/token", "deleted-at-first:" + secret, "grant_type", "client_credentials")
        .statusCode());
  }

  @Test
  void aPasswordResetAtOneInstanceRequiresAChangeAtTheOther() {
    assertEquals(201, admin.post("/admin/users", new JsonObject().put("id", "reset-at-first")
        .put("username", "reset@example.com").put("password", "a-long-password").put("requirePasswordChange", false))
        .statusCode());
    String token = json(second.postForm("/token", PASSWORD_CLIENT, "grant_type", "password",
        "username", "reset@example.com", "password", "a-long-password")).getString("access_token");
    assertEquals(200, admin.post("/admin/users/reset-at-first/password",
        new JsonObject().put("password", "temporary-password")).statusCode());
    assertEquals(new JsonObject().put("userid", "reset-at-first").put("RequireChangePassword", true),
        json(second.postForm("/token", PASSWORD_CLIENT, "grant_type", "password",
            "username", "reset@example.com", "password", "temporary-password")));
    assertEquals(401, awaitStatus(second, token, 401, 1_000), "and the old tokens are gone there too");
  }

  private static int call(TestTollgate tollgate, String token) {
    return tollgate.send(HttpRequest.newBuilder(tollgate.uri("/echo/x"))
        .header("Authorization", "Bearer " + token).build()).statusCode();
  }

  private static int awaitStatus(TestTollgate tollgate, String token, int wanted, long millis) {
    long deadline = System.currentTimeMillis() + millis;
    int status = call(tollgate, token);
    while (status != wanted && System.currentTimeMillis() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return status;
      }
      status = call(tollgate, token);
    }
    return status;
  }
}
