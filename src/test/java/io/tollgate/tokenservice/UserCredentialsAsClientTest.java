package io.tollgate.tokenservice;

import static io.tollgate.TestTollgate.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jwt.SignedJWT;
import io.tollgate.TestTollgate;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The API portal's user username:password as Basic client credentials, when switched on. */
class UserCredentialsAsClientTest {
  static TestTollgate tollgate;

  @BeforeAll
  static void start() {
    JsonObject config = TestTollgate.config("user_as_client");
    config.getJsonObject("security").put("userCredentialsAsClient", true);
    tollgate = TestTollgate.start(config);
  }

  @AfterAll
  static void stop() {
    tollgate.close();
  }

  @Test
  void aUsersBasicCredentialsGetATokenThroughThePortalClient() throws Exception {
    HttpResponse<String> response = tollgate.postForm("/token", "demo@profix-it.nl:demo-password",
        "grant_type", "client_credentials");
    assertEquals(200, response.statusCode(), response.body());
    var claims = SignedJWT.parse(json(response).getString("access_token")).getJWTClaimsSet();
    assertEquals("456", claims.getSubject());
    assertEquals("portal-consumer", claims.getStringClaim("client_id"));
  }

  @Test
  void theRequireChangePasswordRuleHolds() {
    JsonObject body = json(tollgate.postForm("/token", "support@profix-it.nl:my-password",
        "grant_type", "client_credentials"));
    assertEquals(true, body.getBoolean("RequireChangePassword"));
  }

  @Test
  void wrongUserCredentialsAreInvalidClient() {
    HttpResponse<String> response = tollgate.postForm("/token", "demo@profix-it.nl:wrong",
        "grant_type", "client_credentials");
    assertEquals(401, response.statusCode());
    assertEquals("invalid_client", json(response).getString("error"));
    assertTrue(response.headers().firstValue("WWW-Authenticate").isPresent());
  }

  @Test
  void realClientsStillWork() {
    assertEquals(200, tollgate.postForm("/token", "s6BhdRkqt3:gX1fBat3bV", "grant_type", "client_credentials")
        .statusCode());
  }
}
