package io.tollgate.tokenservice;

import static io.tollgate.TestTollgate.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.MACVerifier;
import io.tollgate.TestTollgate;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** AffinityLive's credentials-in-the-query option, and HS256 signing from a configured secret. */
class QueryCredentialsAndHs256Test {
  static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes();
  static TestTollgate tollgate;

  @BeforeAll
  static void start() {
    JsonObject config = TestTollgate.config("query_hs256");
    config.getJsonObject("security").put("allowClientCredentialsInQuery", true);
    config.getJsonObject("tokens").put("signing", new JsonObject().put("algorithm", "HS256")
        .put("keys", new JsonArray().add(new JsonObject().put("kid", "h1")
            .put("secret", Base64.getEncoder().encodeToString(SECRET)))));
    tollgate = TestTollgate.start(config);
  }

  @AfterAll
  static void stop() {
    tollgate.close();
  }

  @Test
  void credentialsInTheQueryWhenAllowedAndAnHs256Token() throws Exception {
    HttpResponse<String> response = tollgate.send(HttpRequest.newBuilder(
            tollgate.uri("/token?client_id=s6BhdRkqt3&client_secret=gX1fBat3bV"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build());
    assertEquals(200, response.statusCode(), response.body());
    JWSObject jws = JWSObject.parse(json(response).getString("access_token"));
    assertEquals("HS256", jws.getHeader().getAlgorithm().getName());
    assertTrue(jws.verify(new MACVerifier(SECRET)));
    assertEquals(0, json(tollgate.get("/.well-known/jwks.json")).getJsonArray("keys").size(),
        "a symmetric key is never published");
  }

  @Test
  void queryAndBodyCredentialsAtOnceAreRefused() {
    HttpResponse<String> response = tollgate.send(HttpRequest.newBuilder(
            tollgate.uri("/token?client_id=s6BhdRkqt3&client_secret=gX1fBat3bV"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(
            "grant_type=client_credentials&client_id=s6BhdRkqt3&client_secret=gX1fBat3bV")).build());
    assertEquals("invalid_request", json(response).getString("error"));
  }
}
