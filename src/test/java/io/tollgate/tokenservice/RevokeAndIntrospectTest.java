package io.tollgate.tokenservice;

import static io.tollgate.TestTollgate.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tollgate.TestTollgate;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** RFC 7009 revocation and RFC 7662 introspection. */
class RevokeAndIntrospectTest {
  static final String CLIENT = TokenEndpointTest.PASSWORD_CLIENT;
  static TestTollgate tollgate;

  @BeforeAll
  static void start() {
    tollgate = TestTollgate.start("revoke_introspect");
  }

  @AfterAll
  static void stop() {
    tollgate.close();
  }

  private static JsonObject login() {
    return json(tollgate.postForm("/token", CLIENT, "grant_type", "password",
        "username", "demo@profix-it.nl", "password", "demo-password"));
  }

  private static JsonObject introspect(String token) {
    return json(tollgate.postForm("/token/introspect", CLIENT, "token", token));
  }

  @Test
  void liveAccessTokenIntrospectsWithItsClaims() {
    JsonObject tokens = login();
    JsonObject answer = introspect(tokens.getString("access_token"));
    assertTrue(answer.getBoolean("active"));
    assertEquals("456", answer.getString("sub"));
    assertEquals("b81cc4de-d192-400e-bcb4-09254394c52a", answer.getString("client_id"));
    assertEquals("https://api.profix-it.nl", answer.getString("iss"));
    assertTrue(introspect(tokens.getString("refresh_token")).getBoolean("active"));
    assertFalse(introspect("not-a-token").getBoolean("active"));
  }

  @Test
  void revokingAnAccessTokenMakesItInactive() {
    String access = login().getString("access_token");
    assertEquals(200, tollgate.postForm("/token/revoke", CLIENT, "token", access).statusCode());
    assertFalse(introspect(access).getBoolean("active"));
  }

  @Test
  void revokingARefreshTokenKillsItsFamilyIncludingTheAccessToken() {
    JsonObject tokens = login();
    assertEquals(200, tollgate.postForm("/token/revoke", CLIENT, "token", tokens.getString("refresh_token"),
        "token_type_hint", "refresh_token").statusCode());
    assertFalse(introspect(tokens.getString("refresh_token")).getBoolean("active"));
    assertFalse(introspect(tokens.getString("access_token")).getBoolean("active"));
    assertEquals("invalid_grant", json(tollgate.postForm("/token", CLIENT, "grant_type", "refresh_token",
        "refresh_token", tokens.getString("refresh_token"))).getString("error"));
  }

  @Test
  void unknownTokensRevokeQuietlyButABadClientIsRefused() {
    assertEquals(200, tollgate.postForm("/token/revoke", CLIENT, "token", "whatever").statusCode());
    assertEquals(401, tollgate.postForm("/token/revoke", "b81cc4de-d192-400e-bcb4-09254394c52a:nope",
        "token", "whatever").statusCode());
    assertEquals(401, tollgate.postForm("/token/introspect", null, "token", "whatever").statusCode());
  }
}
