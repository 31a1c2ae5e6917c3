package io.tollgate.admin;

import static io.tollgate.TestTollgate.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tollgate.TestTollgate;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 15: each instance keeps the clients in memory; a change made through the admin API of
 * {@code first} reaches {@code second}'s cache by NOTIFY within a second. Each test first makes
 * {@code second} cache the client with a grant, so that only the announcement can undo it.
 */
class ClientsAcrossInstancesTest {
  static TestTollgate first;
  static TestTollgate second;
  static AdminCalls admin;

  @BeforeAll
  static void start() {
    JsonObject config = TestTollgate.config("clients_instances");
    first = TestTollgate.start(config);
    second = TestTollgate.start(config);
    admin = new AdminCalls(first);
  }

  @AfterAll
  static void stop() {
    second.close();
    first.close();
  }

  @Test
  void newScopesSetAtOneInstanceAreIssuedAtTheOtherWithinASecond() {
    JsonObject spec = new JsonObject().put("id", "widened").put("grant", "client_credentials")
        .put("scopes", new JsonArray().add("profile"));
    String secret = created(spec);
    assertEquals("profile", scopeAt(second, "widened:" + secret));
    assertEquals(200, admin.put("/admin/clients/widened",
        spec.copy().put("scopes", new JsonArray().add("profile").add("orders"))).statusCode());
    assertTrue(within(1_000, () -> "profile orders".equals(scopeAt(second, "widened:" + secret))));
  }

  @Test
  void aClientDeletedAtOneInstanceIsRefusedAtTheOtherWithinASecond() {
    String secret = created(new JsonObject().put("id", "gone").put("grant", "client_credentials"));
    assertEquals(200, grant(second, "gone:" + secret));
    assertEquals(204, admin.delete("/admin/clients/gone").statusCode());
    assertTrue(within(1_000, () -> grant(second, "gone:" + secret) == 401));
  }

  @Test
  void aReplacedSecretIsInvalidAtTheOtherWithinASecond() {
    String old = created(new JsonObject().put("id", "replaced").put("grant", "client_credentials"));
    assertEquals(200, grant(second, "replaced:" + old), "cached, and its secret remembered as verified");
    String fresh = json(admin.post("/admin/clients/replaced/secret", null)).getString("secret");
    assertTrue(within(1_000, () -> grant(second, "replaced:" + old) == 401));
    assertEquals("invalid_client", json(second.postForm("/token", "replaced:" + old,
        "grant_type", "client_credentials")).getString("error"));
    assertEquals(200, grant(second, "replaced:" + fresh));
  }

  private static String created(JsonObject spec) {
    return json(admin.post("/admin/clients", spec)).getString("secret");
  }

  static int grant(TestTollgate tollgate, String basic) {
    return tollgate.postForm("/token", basic, "grant_type", "client_credentials").statusCode();
  }

  static String scopeAt(TestTollgate tollgate, String basic) {
    return json(tollgate.postForm("/token", basic, "grant_type", "client_credentials")).getString("scope");
  }

  static boolean within(long millis, Supplier<Boolean> condition) {
    long deadline = System.currentTimeMillis() + millis;
    while (!condition.get()) {
      if (System.currentTimeMillis() > deadline) {
        return false;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }
}
