package io.tollgate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A start that cannot work says why in one line and exits non-zero at once, before it starts
 * anything: a taken port, a data directory it cannot write, a data directory another Tollgate holds.
 */
class StartFailuresTest {

  @Test
  void aTakenPortIsOneLineAndExitStatus2() throws Exception {
    JsonObject config = TestTollgate.config("port-taken");
    config.remove("database"); // the embedded one: it must not even start
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      ChildTollgate child = ChildTollgate.launch(config, taken.getLocalPort());
      assertFailsWithOneLine(child, "tollgate: http.port: cannot listen on 127.0.0.1:" + taken.getLocalPort()
          + ": Address already in use");
    }
    assertFalse(clusterExists(Path.of(config.getString("dataDir"))), "no database was made or started");
  }

  @Test
  void aDataDirectoryThatCannotBeWrittenIsOneLine() throws Exception {
    Path file = Files.createTempFile("tollgate-not-a-directory", ".txt");
    JsonObject config = TestTollgate.config("data-dir-unwritable").put("dataDir", file.resolve("data").toString());
    assertFailsWithOneLine(ChildTollgate.launch(config), "tollgate: data directory " + file.resolve("data")
        + " is not writable by user " + System.getProperty("user.name"));
  }

  @Test
  void aSecondTollgateOnTheSameDataDirectoryLeavesTheFirstAlone() throws Exception {
    // the embedded database: the second start must not stop the first one's server as a leftover
    JsonObject config = TestTollgate.config("data-dir-shared");
    config.remove("database");
    try (ChildTollgate first = ChildTollgate.start(config.copy())) {
      assertFailsWithOneLine(ChildTollgate.launch(config.copy()), "tollgate: data directory "
          + Path.of(config.getString("dataDir")).toAbsolutePath() + " is in use by another Tollgate");
      HttpResponse<String> token = HttpClient.newHttpClient().send(HttpRequest.newBuilder(first.uri("/token"))
          .header("Authorization", "Basic czZCaGRSa3F0MzpnWDFmQmF0M2JW")
          .header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, token.statusCode(), "the first Tollgate and its database still work: " + token.body());
    } finally {
      removeCluster(Path.of(config.getString("dataDir")));
    }
  }

  private static void assertFailsWithOneLine(ChildTollgate child, String expectedStart) throws Exception {
    try (child) { // a start that wrongly goes on must not outlive the test
      long started = System.nanoTime();
      assertTrue(child.process().waitFor(30, TimeUnit.SECONDS), "exits by itself");
      long millis = (System.nanoTime() - started) / 1_000_000;
      assertEquals(2, child.process().exitValue(), child.output());
      String output = child.output().strip();
      assertFalse(output.contains("\n"), "one line, no stack trace:\n" + output);
      assertTrue(output.startsWith(expectedStart), output);
      assertTrue(millis < 15_000, "at once, before anything starts: " + millis + " ms");
    }
  }

  private static boolean clusterExists(Path dataDir) throws Exception {
    return Files.exists(dataDir.resolve("pg")) || rootHome(dataDir) != null;
  }

  /** A stopped child's cluster: as root it lives outside the data directory and would pile up. */
  private static void removeCluster(Path dataDir) throws Exception {
    Path home = rootHome(dataDir);
    if (home != null) {
      try (var paths = Files.walk(home)) {
        for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  /** Run as root, the embedded cluster's home under /var/lib (see storage.ClusterHome), if there is one. */
  private static Path rootHome(Path dataDir) throws Exception {
    Path homes = Path.of("/var/lib/tollgate-pg");
    // an ordinary user's cluster is dataDir/pg; root's homes stay there from other runs, unlistable (0711)
    if (!"root".equals(System.getProperty("user.name")) || !Files.isDirectory(homes)) {
      return null;
    }
    String real = dataDir.toRealPath().toString();
    try (var each = Files.list(homes)) {
      return each.filter(home -> Files.isReadable(home.resolve("data-dir")))
          .filter(home -> read(home.resolve("data-dir")).strip().equals(real)).findFirst().orElse(null);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
