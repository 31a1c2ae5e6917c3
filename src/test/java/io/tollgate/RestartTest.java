package io.tollgate;

import static io.tollgate.TestTollgate.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** A restart keeps clients, users, refresh tokens and keys, and the bootstrap never undoes a password change. */
class RestartTest {
  static final String CLIENT = "b81cc4de-d192-400e-bcb4-09254394c52a:n3G7KAhcv8OH";

  @Test
  void aRestartKeepsEverything() {
    JsonObject config = TestTollgate.config("restart");
    String refreshToken;
    String accessToken;
    try (TestTollgate first = TestTollgate.start(config)) {
      assertEquals(200, first.postForm("/token/ChangePassword", CLIENT, "userid", "123",
          "password", "my-password", "newpassword", "changed-password-1").statusCode());
      JsonObject tokens = json(first.postForm("/token", CLIENT, "grant_type", "password",
          "username", "support@profix-it.nl", "password", "changed-password-1"));
      refreshToken = tokens.getString("refresh_token");
      accessToken = tokens.getString("access_token");
      assertNotNull(refreshToken);
    }
    try (TestTollgate second = TestTollgate.start(config)) {
      // the same key verifies tokens issued before the restart
      assertEquals(true, json(second.postForm("/token/introspect", CLIENT, "token", accessToken)).getBoolean("active"));
      assertEquals(200, second.postForm("/token", CLIENT, "grant_type", "refresh_token",
          "refresh_token", refreshToken).statusCode());
      // the bootstrap file's password did not come back
      assertEquals("invalid_grant", json(second.postForm("/token", CLIENT, "grant_type", "password",
          "username", "support@profix-it.nl", "password", "my-password")).getString("error"));
      assertEquals(200, second.postForm("/token", "s6BhdRkqt3:gX1fBat3bV", "grant_type", "client_credentials")
          .statusCode());
    }
  }
}
