package io.tollgate.admin;

import static io.tollgate.admin.ClientsAcrossInstancesTest.scopeAt;
import static io.tollgate.admin.ClientsAcrossInstancesTest.within;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tollgate.TestTollgate;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Issue 15: the bootstrap's upsert of a client, when one instance restarts with a changed file, is
 * announced like an admin change: the other instance, which has the client cached, drops it.
 */
class BootstrapAcrossInstancesTest {
  static final String CLIENT = "booted:booted-secret-1";

  @Test
  void aClientChangedByOneInstancesBootstrapReachesTheOther() throws Exception {
    Path file = Files.createTempDirectory("tollgate-bootstrap").resolve("bootstrap.yaml");
    write(file, "[profile]");
    JsonObject config = TestTollgate.config("bootstrap_instances").put("bootstrap", file.toString());
    TestTollgate first = TestTollgate.start(config);
    TestTollgate second = TestTollgate.start(config);
    try {
      assertEquals("profile", scopeAt(second, CLIENT), "and now cached at the second");
      first.close();
      write(file, "[profile, orders]");
      first = TestTollgate.start(config);
      TestTollgate started = first;
      assertEquals("profile orders", scopeAt(started, CLIENT));
      assertTrue(within(1_000, () -> "profile orders".equals(scopeAt(second, CLIENT))));
    } finally {
      second.close();
      first.close();
    }
  }

  private static void write(Path file, String scopes) throws Exception {
    Files.writeString(file, "clients:\n  - { id: booted, secret: booted-secret-1, grant: client_credentials, scopes: "
        + scopes + " }\n");
  }
}
