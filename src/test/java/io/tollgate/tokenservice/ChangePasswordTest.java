package io.tollgate.tokenservice;

import static io.tollgate.TestTollgate.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.tollgate.TestTollgate;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Profix's POST /token/ChangePassword, in its own database because it changes the demo user. */
class ChangePasswordTest {
  static final String PASSWORD_CLIENT = TokenEndpointTest.PASSWORD_CLIENT;
  static TestTollgate tollgate;

  @BeforeAll
  static void start() {
    tollgate = TestTollgate.start("change_password");
  }

  @AfterAll
  static void stop() {
    tollgate.close();
  }

  @Test
  void changePasswordThenLogin() {
    HttpResponse<String> tooShort = tollgate.postForm("/token/ChangePassword", PASSWORD_CLIENT,
        "userid", "123", "password", "my-password", "newpassword", "short");
    assertEquals(400, tooShort.statusCode());
    assertFalse(json(tooShort).getBoolean("success"));

    HttpResponse<String> wrongOld = tollgate.postForm("/token/ChangePassword", PASSWORD_CLIENT,
        "userid", "123", "password", "not-my-password", "newpassword", "a-new-password-1");
    assertFalse(json(wrongOld).getBoolean("success"));

    HttpResponse<String> changed = tollgate.postForm("/token/ChangePassword", null,
        "client_id", "b81cc4de-d192-400e-bcb4-09254394c52a", "client_secret", "n3G7KAhcv8OH",
        "userid", "123", "password", "my-password", "newpassword", "a-new-password-1");
    assertEquals(200, changed.statusCode(), changed.body());
    assertEquals(new JsonObject().put("success", true).put("message", "You can now login"), json(changed));

    HttpResponse<String> login = tollgate.postForm("/token", PASSWORD_CLIENT, "grant_type", "password",
        "username", "support@profix-it.nl", "password", "a-new-password-1");
    assertEquals(200, login.statusCode(), login.body());
    assertNotNull(json(login).getString("access_token"));
  }

  @Test
  void aChangeRevokesTheUsersRefreshTokens() {
    JsonObject login = json(tollgate.postForm("/token", PASSWORD_CLIENT, "grant_type", "password",
        "username", "demo@profix-it.nl", "password", "demo-password"));
    HttpResponse<String> changed = tollgate.postForm("/token/ChangePassword", PASSWORD_CLIENT,
        "userid", "456", "password", "demo-password", "newpassword", "another-password-2");
    assertEquals(200, changed.statusCode(), changed.body());
    HttpResponse<String> refresh = tollgate.postForm("/token", PASSWORD_CLIENT, "grant_type", "refresh_token",
        "refresh_token", login.getString("refresh_token"));
    assertEquals("invalid_grant", json(refresh).getString("error"));
  }

  @Test
  void aBadClientIsRefusedInThePortalFormat() {
    HttpResponse<String> response = tollgate.postForm("/token/ChangePassword", "b81cc4de-d192-400e-bcb4-09254394c52a:bad",
        "userid", "1", "password", "admin-password", "newpassword", "admin-password-2");
    assertEquals(401, response.statusCode());
    assertFalse(json(response).getBoolean("success"));
  }

  @Test
  void aNewPasswordOverTheAdminApisCapIsRefusedInThePortalFormat() {
    HttpResponse<String> response = tollgate.postForm("/token/ChangePassword", PASSWORD_CLIENT,
        "userid", "1", "password", "admin-password", "newpassword", "x".repeat(1025));
    assertEquals(400, response.statusCode(), response.body());
    assertEquals(new JsonObject().put("success", false)
        .put("message", "The new password must be at most 1024 characters long.")
        .put("request_id", response.headers().firstValue("X-Request-Id").orElseThrow()), json(response));
  }
}
