package io.tollgate.ops;

import static io.tollgate.TestTollgate.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tollgate.TestTollgate;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Issue 7: per-client and per-address limits on the token service and the login page; 429 + Retry-After. */
class RateLimitTest {
  static final String CC = "s6BhdRkqt3:gX1fBat3bV";
  static final String PASSWORD_CLIENT = "b81cc4de-d192-400e-bcb4-09254394c52a:n3G7KAhcv8OH";

  private static TestTollgate start(int perAddress, int perClient) {
    JsonObject config = TestTollgate.config("ratelimit");
    config.getJsonObject("security").put("rateLimit", new JsonObject().put("perAddressPerMinute", perAddress)
        .put("perClientPerMinute", perClient).put("trustForwardedFor", true));
    return TestTollgate.start(config);
  }

  @Test
  void aClientOverItsLimitGets429HoweverItSpellsItsId() {
    try (TestTollgate tollgate = start(1000, 3)) {
      for (int i = 0; i < 3; i++) {
        assertEquals(200, tollgate.postForm("/token", CC, "grant_type", "client_credentials").statusCode());
      }
      // the same client id, percent-encoded (RFC 6749 §2.3.1), is the same client
      HttpResponse<String> limited = tollgate.postForm("/token", "%73%36BhdRkqt3:gX1fBat3bV",
          "grant_type", "client_credentials");
      assertEquals(429, limited.statusCode());
      long retryAfter = Long.parseLong(limited.headers().firstValue("Retry-After").orElse("0"));
      assertTrue(retryAfter >= 1 && retryAfter <= 20, "Retry-After " + retryAfter);
      assertEquals("temporarily_unavailable", json(limited).getString("error"));
      assertEquals(429, tollgate.postForm("/token", null, "grant_type", "client_credentials",
          "client_id", "s6BhdRkqt3", "client_secret", "gX1fBat3bV").statusCode(), "and in the body");
      assertEquals(200, tollgate.postForm("/token", PASSWORD_CLIENT, "grant_type", "password",
          "username", "demo@profix-it.nl", "password", "demo-password").statusCode(), "other clients go on");
    }
  }

  @Test
  void anAddressOverItsLimitGets429OnEveryCostlyEndpoint() {
    try (TestTollgate tollgate = start(3, 1000)) {
      for (int i = 0; i < 3; i++) {
        assertEquals(200, tollgate.postForm("/token", CC, "grant_type", "client_credentials").statusCode());
      }
      assertEquals(429, tollgate.postForm("/token", PASSWORD_CLIENT, "grant_type", "password",
          "username", "demo@profix-it.nl", "password", "wrong").statusCode(), "no password is checked");

      HttpResponse<String> change = tollgate.postForm("/token/ChangePassword", PASSWORD_CLIENT, "userid", "456",
          "password", "demo-password", "newpassword", "a-new-password-1");
      assertEquals(429, change.statusCode());
      assertFalse(json(change).getBoolean("success"));

      HttpResponse<String> login = tollgate.send(HttpRequest.newBuilder(tollgate.uri("/Authorization"))
          .header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString("username=demo%40profix-it.nl&password=x")).build());
      assertEquals(429, login.statusCode());
      assertTrue(login.headers().firstValue("Content-Type").orElse("").startsWith("text/html"), "a page for browsers");
      assertTrue(login.headers().firstValue("Retry-After").isPresent());

      // behind a trusted load balancer, the caller is the last X-Forwarded-For entry
      HttpResponse<String> elsewhere = tollgate.send(HttpRequest.newBuilder(tollgate.uri("/token"))
          .header("Content-Type", "application/x-www-form-urlencoded")
          .header("X-Forwarded-For", "127.0.0.1, 203.0.113.9")
          .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(CC.getBytes()))
          .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build());
      assertEquals(200, elsewhere.statusCode());
    }
  }
}
