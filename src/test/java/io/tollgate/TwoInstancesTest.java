package io.tollgate;

import static io.tollgate.TestTollgate.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * README "Operations", scaling out: instances on one database act as one service. Each flow alternates its requests
 * between two instances, so that nothing correct depends on where a request lands.
 * (Codes and sessions: authorize.SharedDatabaseTest; revocations: gateway.RevocationAcrossInstancesTest.)
 */
class TwoInstancesTest {
  static final String CLIENT = "b81cc4de-d192-400e-bcb4-09254394c52a:n3G7KAhcv8OH";
  static TestTollgate a;
  static TestTollgate b;

  @BeforeAll
  static void start() {
    JsonObject config = TestTollgate.config("two_instances");
    a = TestTollgate.start(config);
    b = TestTollgate.start(config);
  }

  @AfterAll
  static void stop() {
    b.close();
    a.close();
  }

  private static HttpResponse<String> login(TestTollgate at, String username, String password) {
    return at.postForm("/token", CLIENT, "grant_type", "password", "username", username, "password", password);
  }

  private static HttpResponse<String> refresh(TestTollgate at, String refreshToken) {
    return at.postForm("/token", CLIENT, "grant_type", "refresh_token", "refresh_token", refreshToken);
  }

  @Test
  void refreshRotationAndReplayDetectionSpanInstances() {
    String first = json(login(a, "demo@profix-it.nl", "demo-password")).getString("refresh_token");
    String second = json(refresh(b, first)).getString("refresh_token");
    String third = json(refresh(a, second)).getString("refresh_token");
    assertNotNull(third);
    assertEquals("invalid_grant", json(refresh(b, first)).getString("error"), "a rotated token replayed elsewhere");
    assertEquals("invalid_grant", json(refresh(a, third)).getString("error"), "the replay revoked the family");
  }

  @Test
  void lockoutCountsFailuresOnEveryInstance() {
    for (int i = 0; i < 5; i++) {
      TestTollgate at = i % 2 == 0 ? a : b;
      assertEquals("invalid_grant", json(login(at, "support@profix-it.nl", "wrong-" + i)).getString("error"));
    }
    HttpResponse<String> locked = login(a, "support@profix-it.nl", "my-password");
    assertEquals("invalid_grant", json(locked).getString("error"), "locked on both after 5 failures across them");
    assertEquals("invalid_grant", json(login(b, "support@profix-it.nl", "my-password")).getString("error"));
  }

  @Test
  void aPasswordChangedOnOneInstanceIsThePasswordOnTheOther() {
    HttpResponse<String> changed = a.postForm("/token/ChangePassword", CLIENT, "userid", "1",
        "password", "admin-password", "newpassword", "admin-password-2");
    assertEquals(200, changed.statusCode(), changed.body());
    assertEquals("invalid_grant", json(login(b, "admin@profix-it.nl", "admin-password")).getString("error"));
    assertNotNull(json(login(b, "admin@profix-it.nl", "admin-password-2")).getString("access_token"));
  }

  @Test
  void aConsumerLoginOnOneInstanceRefreshesOnTheOther() {
    HttpResponse<String> consumer = b.send(HttpRequest.newBuilder(b.uri("/consumer/login"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"demo@profix-it.nl\",\"password\":\"demo-password\"}"))
        .build());
    assertEquals(200, consumer.statusCode(), consumer.body());
    String refreshToken = json(consumer).getString("refresh_token");
    HttpResponse<String> refreshed = a.postForm("/token", "portal-consumer:portal-consumer-secret",
        "grant_type", "refresh_token", "refresh_token", refreshToken);
    assertEquals(200, refreshed.statusCode(), refreshed.body());
    JsonObject introspected = json(b.postForm("/token/introspect", "portal-consumer:portal-consumer-secret",
        "token", json(refreshed).getString("access_token")));
    assertEquals(true, introspected.getBoolean("active"));
    assertFalse(json(a.postForm("/token/introspect", "portal-consumer:portal-consumer-secret",
        "token", refreshToken)).getBoolean("active"), "the rotated refresh token is dead everywhere");
  }
}
