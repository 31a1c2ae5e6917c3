package io.tollgate.tokenservice;

import static io.tollgate.TestTollgate.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import io.tollgate.TestTollgate;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The token endpoint in each manual's own form, against a real Tollgate and PostgreSQL. */
class TokenEndpointTest {
  static final String PASSWORD_CLIENT = "b81cc4de-d192-400e-bcb4-09254394c52a:n3G7KAhcv8OH";
  static final String CC_CLIENT = "s6BhdRkqt3:gX1fBat3bV";
  static TestTollgate tollgate;

  @BeforeAll
  static void start() {
    tollgate = TestTollgate.start("token_endpoint");
  }

  @AfterAll
  static void stop() {
    tollgate.close();
  }

  @Test
  void clientCredentialsWithBasicGivesABearerTokenAndARefreshToken() throws Exception {
    HttpResponse<String> response = tollgate.postForm("/token", CC_CLIENT, "grant_type", "client_credentials");
    assertEquals(200, response.statusCode(), response.body());
    assertEquals("no-store", response.headers().firstValue("Cache-Control").orElse(""));
    assertEquals("no-cache", response.headers().firstValue("Pragma").orElse(""));
    JsonObject body = json(response);
    assertEquals("Bearer", body.getString("token_type"));
    assertEquals(600, body.getInteger("expires_in"));
    assertEquals("profile", body.getString("scope"));
    assertNotNull(body.getString("refresh_token"), "this client is configured for refresh tokens");

    // the JWT verifies with a standard library against nothing but our JWKS
    JWKSet jwks = JWKSet.parse(tollgate.get("/.well-known/jwks.json").body());
    JWSObject jws = JWSObject.parse(body.getString("access_token"));
    assertEquals("at+jwt", jws.getHeader().getType().toString());
    ECKey key = (ECKey) jwks.getKeyByKeyId(jws.getHeader().getKeyID());
    assertTrue(jws.verify(new ECDSAVerifier(key)));
    var claims = jws.getPayload().toJSONObject();
    assertEquals("s6BhdRkqt3", claims.get("sub"));
    assertEquals("s6BhdRkqt3", claims.get("client_id"));
    assertEquals("https://api.profix-it.nl", claims.get("iss"));
  }

  @Test
  void clientCredentialsInTheBodyAndOnEveryTokenPath() {
    for (String path : new String[] {"/token", "/authorization/token", "/oauth2/token"}) {
      HttpResponse<String> response = tollgate.postForm(path, null, "grant_type", "client_credentials",
          "client_id", "s6BhdRkqt3", "client_secret", "gX1fBat3bV", "scope", "profile");
      assertEquals(200, response.statusCode(), path + " " + response.body());
    }
  }

  @Test
  void credentialsInTheQueryAreIgnoredUnlessConfigured() {
    HttpResponse<String> response = tollgate.send(HttpRequest.newBuilder(
            tollgate.uri("/token?client_id=s6BhdRkqt3&client_secret=gX1fBat3bV"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build());
    assertEquals(401, response.statusCode());
    assertEquals("invalid_client", json(response).getString("error"));
  }

  @Test
  void twoAuthenticationMethodsAtOnceAreRefused() {
    HttpResponse<String> response = tollgate.postForm("/token", CC_CLIENT, "grant_type", "client_credentials",
        "client_id", "s6BhdRkqt3", "client_secret", "gX1fBat3bV");
    assertEquals(400, response.statusCode());
    assertEquals("invalid_request", json(response).getString("error"));
  }

  @Test
  void wrongSecretWithBasicIsInvalidClientWithAChallenge() {
    HttpResponse<String> response = tollgate.postForm("/token", "s6BhdRkqt3:wrong", "grant_type", "client_credentials");
    assertEquals(401, response.statusCode());
    assertEquals("invalid_client", json(response).getString("error"));
    assertTrue(response.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic"));
    HttpResponse<String> unknown = tollgate.postForm("/token", "nobody-knows:x", "grant_type", "client_credentials");
    assertEquals(401, unknown.statusCode());
  }

  @Test
  void aGrantThatIsNotTheClientsOneIsUnauthorizedClient() {
    HttpResponse<String> response = tollgate.postForm("/token", PASSWORD_CLIENT, "grant_type", "client_credentials");
    assertEquals(400, response.statusCode());
    assertEquals("unauthorized_client", json(response).getString("error"));
    HttpResponse<String> unknown = tollgate.postForm("/token", PASSWORD_CLIENT, "grant_type", "telepathy");
    assertEquals("unsupported_grant_type", json(unknown).getString("error"));
  }

  @Test
  void scopeOutsideTheClientsIsInvalidScope() {
    HttpResponse<String> response = tollgate.postForm("/token", CC_CLIENT, "grant_type", "client_credentials",
        "scope", "profile orders");
    assertEquals("invalid_scope", json(response).getString("error"));
  }

  @Test
  void passwordGrantForAUserWhoMustChangeThePassword() {
    HttpResponse<String> response = tollgate.postForm("/token", PASSWORD_CLIENT, "grant_type", "password",
        "username", "support@profix-it.nl", "password", "my-password");
    assertEquals(200, response.statusCode(), response.body());
    JsonObject body = json(response);
    assertEquals("123", body.getString("userid"));
    assertEquals(true, body.getBoolean("RequireChangePassword"));
    assertNull(body.getString("access_token"));
  }

  @Test
  void passwordGrantWithCommaSeparatedScopes() {
    HttpResponse<String> response = tollgate.postForm("/token", PASSWORD_CLIENT, "grant_type", "password",
        "username", "demo@profix-it.nl", "password", "demo-password", "scope", "profile,orders");
    assertEquals(200, response.statusCode(), response.body());
    assertEquals("profile orders", json(response).getString("scope"));
    assertNotNull(json(response).getString("refresh_token"));
  }

  @Test
  void unknownUserAndWrongPasswordLookTheSame() {
    JsonObject wrong = json(tollgate.postForm("/token", PASSWORD_CLIENT, "grant_type", "password",
        "username", "demo@profix-it.nl", "password", "not-it"));
    JsonObject unknown = json(tollgate.postForm("/token", PASSWORD_CLIENT, "grant_type", "password",
        "username", "ghost@profix-it.nl", "password", "not-it"));
    assertEquals("invalid_grant", wrong.getString("error"));
    // each answer has its own request id; everything else is the same
    assertNotEquals(wrong.remove("request_id"), unknown.remove("request_id"));
    assertEquals(wrong, unknown);
  }

  @Test
  void lockoutAfterMaxFailuresRefusesEvenTheRightPassword() {
    for (int i = 0; i < 5; i++) {
      tollgate.postForm("/token", PASSWORD_CLIENT, "grant_type", "password", "username", "admin@profix-it.nl",
          "password", "wrong-" + i);
    }
    HttpResponse<String> response = tollgate.postForm("/token", PASSWORD_CLIENT, "grant_type", "password",
        "username", "admin@profix-it.nl", "password", "admin-password");
    assertEquals(400, response.statusCode());
    assertEquals("invalid_grant", json(response).getString("error"));
    assertTrue(json(response).getString("error_description").contains("too many"));
  }

  @Test
  void refreshRotatesAndReuseRevokesTheWholeFamily() {
    JsonObject first = json(tollgate.postForm("/token", PASSWORD_CLIENT, "grant_type", "password",
        "username", "demo@profix-it.nl", "password", "demo-password"));
    String r1 = first.getString("refresh_token");
    HttpResponse<String> rotated = tollgate.postForm("/token", PASSWORD_CLIENT, "grant_type", "refresh_token",
        "refresh_token", r1);
    assertEquals(200, rotated.statusCode(), rotated.body());
    String r2 = json(rotated).getString("refresh_token");
    assertNotEquals(r1, r2);

    HttpResponse<String> replay = tollgate.postForm("/token", PASSWORD_CLIENT, "grant_type", "refresh_token",
        "refresh_token", r1);
    assertEquals("invalid_grant", json(replay).getString("error"));
    // the replay revoked the family: the successor is dead too
    HttpResponse<String> successor = tollgate.postForm("/token", PASSWORD_CLIENT, "grant_type", "refresh_token",
        "refresh_token", r2);
    assertEquals("invalid_grant", json(successor).getString("error"));
  }

  @Test
  void refreshMayNarrowButNotWidenTheScope() {
    JsonObject first = json(tollgate.postForm("/token", PASSWORD_CLIENT, "grant_type", "password",
        "username", "demo@profix-it.nl", "password", "demo-password", "scope", "profile"));
    HttpResponse<String> wider = tollgate.postForm("/token", PASSWORD_CLIENT, "grant_type", "refresh_token",
        "refresh_token", first.getString("refresh_token"), "scope", "profile orders");
    assertEquals("invalid_scope", json(wider).getString("error"));
  }

  @Test
  void refreshTokenOfAnotherClientIsInvalidGrant() {
    JsonObject cc = json(tollgate.postForm("/token", CC_CLIENT, "grant_type", "client_credentials"));
    HttpResponse<String> response = tollgate.postForm("/token", PASSWORD_CLIENT, "grant_type", "refresh_token",
        "refresh_token", cc.getString("refresh_token"));
    assertEquals("invalid_grant", json(response).getString("error"));
  }

  @Test
  void wrongContentTypeHugeBodyBadUtf8AndRepeatedParametersAreInvalidRequest() {
    HttpResponse<String> jsonBody = tollgate.send(HttpRequest.newBuilder(tollgate.uri("/token"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"grant_type\":\"client_credentials\"}")).build());
    assertEquals(400, jsonBody.statusCode());
    assertEquals("invalid_request", json(jsonBody).getString("error"));

    HttpResponse<String> huge = tollgate.send(HttpRequest.newBuilder(tollgate.uri("/token"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("a=" + "x".repeat(1024 * 1024))).build());
    assertEquals(413, huge.statusCode());
    assertEquals("invalid_request", json(huge).getString("error"));

    HttpResponse<String> badUtf8 = tollgate.send(HttpRequest.newBuilder(tollgate.uri("/token"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope=%C3%28")).build());
    assertEquals("invalid_request", json(badUtf8).getString("error"));

    HttpResponse<String> repeated = tollgate.postForm("/token", CC_CLIENT, "grant_type", "client_credentials",
        "grant_type", "password");
    assertEquals("invalid_request", json(repeated).getString("error"));
    assertTrue(json(repeated).getString("error_description").contains("repeated"));
  }

  @Test
  void consumerLoginAnswersThePortalShape() {
    HttpResponse<String> response = tollgate.send(HttpRequest.newBuilder(tollgate.uri("/consumer/login"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"demo@profix-it.nl\",\"password\":\"demo-password\"}"))
        .build());
    assertEquals(200, response.statusCode(), response.body());
    JsonObject body = json(response);
    assertNotNull(body.getString("token"));
    assertNotNull(body.getString("refresh_token"));
    assertEquals(600, body.getInteger("expires_in"));

    HttpResponse<String> badJson = tollgate.send(HttpRequest.newBuilder(tollgate.uri("/consumer/login"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{nope")).build());
    assertEquals(400, badJson.statusCode());
    assertEquals("invalid_request", json(badJson).getString("error"));
  }

  @Test
  void metadataNamesOurEndpoints() {
    JsonObject metadata = json(tollgate.get("/.well-known/oauth-authorization-server"));
    assertEquals("https://api.profix-it.nl", metadata.getString("issuer"));
    assertEquals("https://api.profix-it.nl/token", metadata.getString("token_endpoint"));
  }
}
