package io.tollgate.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tollgate.ChildTollgate;
import io.tollgate.TestTollgate;
import io.tollgate.tls.TestCertificates.Pair;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.Test;

/**
 * {@code SIGHUP} makes a running Tollgate (its own JVM) serve new handshakes with the files now on
 * disk, and applies the configuration file with them (README, "Reload"): all of it, or, when the
 * file has a problem, nothing, with one log line per problem; restart-only keys in one line.
 */
class ReloadSignalTest {
  @Test
  void sighupReloadsTheCertificatesWithoutARestart() throws Exception {
    TestCertificates ca = TestCertificates.create("Signal CA");
    Pair first = ca.ec("first", "first.example");
    Pair second = ca.ec("second", "second.example");
    Path live = Files.createTempDirectory("tollgate-hup");
    Files.copy(first.cert(), live.resolve("tls.crt"));
    Files.copy(first.key(), live.resolve("tls.key"));
    JsonObject config = TestTollgate.config("tls_sighup");
    // watch: false, so that only the signal can make the change
    config.getJsonObject("http").put("tls", new JsonObject()
        .put("cert", live.resolve("tls.crt").toString()).put("key", live.resolve("tls.key").toString()).put("watch", false));
    try (ChildTollgate child = ChildTollgate.launch(config)) {
      int port = child.uri("/").getPort();
      X509Certificate served = null;
      for (int i = 0; i < 600 && served == null; i++) {
        try {
          served = TlsClients.served(port, null);
        } catch (java.io.IOException notYet) {
          assertTrue(child.process().isAlive(), child.output());
          Thread.sleep(100);
        }
      }
      assertEquals(TestCertificates.certificate(first.cert()), served, child.output());
      Files.copy(second.key(), live.resolve("tls.key"), StandardCopyOption.REPLACE_EXISTING);
      Files.copy(second.cert(), live.resolve("tls.crt"), StandardCopyOption.REPLACE_EXISTING);
      Thread.sleep(1_500);
      assertEquals(TestCertificates.certificate(first.cert()), TlsClients.served(port, null), "nothing changes before the signal");
      Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(child.process().pid())).start();
      assertEquals(0, kill.waitFor());
      X509Certificate now = null;
      for (int i = 0; i < 100 && !TestCertificates.certificate(second.cert()).equals(now); i++) {
        Thread.sleep(100);
        now = TlsClients.served(port, null);
      }
      assertEquals(TestCertificates.certificate(second.cert()), now, child.output());
      assertTrue(child.process().isAlive(), "the same process serves");
      assertTrue(child.output().contains("TLS certificates reloaded"), child.output());
    }
  }

  @Test
  void sighupAppliesTheWholeFileOrNothing() throws Exception {
    TestCertificates ca = TestCertificates.create("Signal CA 2");
    Pair first = ca.ec("first", "first.example");
    Path live = Files.createTempDirectory("tollgate-hup-all");
    Files.copy(first.cert(), live.resolve("tls.crt"));
    Files.copy(first.key(), live.resolve("tls.key"));
    try (io.tollgate.RecordingBackend backend = new io.tollgate.RecordingBackend()) {
      JsonObject config = TestTollgate.config("tls_sighup_all");
      config.getJsonObject("http").put("tls", new JsonObject()
          .put("cert", live.resolve("tls.crt").toString()).put("key", live.resolve("tls.key").toString())
          .put("watch", false));
      config.put("routes", new io.vertx.core.json.JsonArray().add(route("/old/", backend.url())));
      try (ChildTollgate child = ChildTollgate.launch(config)) {
        int port = child.uri("/").getPort();
        for (int i = 0; i < 1_800 && !child.output().contains("tollgate listening on"); i++) {
          assertTrue(child.process().isAlive(), child.output());
          Thread.sleep(100);
        }
        assertTrue(child.output().contains("tollgate listening on"), child.output());
        assertEquals("HTTP/1.1 200 OK", statusLine(port, "/old/x"));
        assertEquals("HTTP/1.1 404 Not Found", statusLine(port, "/new/x"));

        // a new certificate and a new route in one signal
        Pair second = ca.ec("second", "second.example");
        replace(second, live);
        JsonObject added = config.copy();
        added.getJsonArray("routes").add(route("/new/", backend.url()));
        child.rewrite(added);
        child.hangUp();
        awaitLog(child, "reload applied: routes, bootstrap, http.tls certificates", 1);
        assertEquals(TestCertificates.certificate(second.cert()), TlsClients.served(port, null));
        assertEquals("HTTP/1.1 200 OK", statusLine(port, "/new/x"));

        // a file with two problems: nothing of it, not even the certificate on disk, is applied
        Pair third = ca.ec("third", "third.example");
        replace(third, live);
        JsonObject broken = added.copy().put("noSuchKey", 1);
        broken.getJsonArray("routes").add(new JsonObject().put("path", "/nobackend/"));
        broken.getJsonArray("routes").getJsonObject(0).remove("backends");
        child.rewrite(broken);
        child.hangUp();
        awaitLog(child, "reload refused, nothing changed:", 3);
        String output = child.output();
        assertEquals(3, output.lines().filter(line -> line.contains("reload refused, nothing changed:")).count(),
            "one line per problem:\n" + output);
        assertTrue(output.contains("noSuchKey"), output);
        assertEquals(TestCertificates.certificate(second.cert()), TlsClients.served(port, null));
        assertEquals("HTTP/1.1 200 OK", statusLine(port, "/old/x"), "the old routes still answer");

        // a restart-only key: named in one line, left alone, the rest applied (the third certificate too)
        JsonObject restart = config.copy();
        restart.getJsonObject("http").put("instances", 3).put("redirectPort", 0);
        child.rewrite(restart);
        child.hangUp();
        awaitLog(child, "reload: these keys need a restart and keep their running values: http.instances, "
            + "http.redirectPort", 1);
        awaitLog(child, "reload applied: routes, bootstrap, http.tls certificates", 2);
        assertEquals(TestCertificates.certificate(third.cert()), TlsClients.served(port, null));
        assertEquals("HTTP/1.1 404 Not Found", statusLine(port, "/new/x"), "the route the file dropped is gone");
        assertTrue(child.process().isAlive());
      }
    }
  }

  private static JsonObject route(String path, String backend) {
    return new JsonObject().put("path", path).put("public", true)
        .put("backends", new io.vertx.core.json.JsonArray().add(backend));
  }

  private static void replace(Pair pair, Path live) throws Exception {
    Files.copy(pair.key(), live.resolve("tls.key"), StandardCopyOption.REPLACE_EXISTING);
    Files.copy(pair.cert(), live.resolve("tls.crt"), StandardCopyOption.REPLACE_EXISTING);
  }

  /** Waits until the child's log holds {@code text} {@code times} times. */
  private static void awaitLog(ChildTollgate child, String text, int times) throws Exception {
    for (int i = 0; i < 200 && count(child.output(), text) < times; i++) {
      Thread.sleep(50);
    }
    assertEquals(times, count(child.output(), text), "\"" + text + "\" in:\n" + child.output());
  }

  private static int count(String output, String text) {
    return output.split(java.util.regex.Pattern.quote(text), -1).length - 1;
  }

  /** One request over a fresh TLS connection; the answer's status line. */
  private static String statusLine(int port, String path) throws Exception {
    try (javax.net.ssl.SSLSocket socket = TlsClients.handshake(port, null, null)) {
      socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
          .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      String answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
      return answer.substring(0, answer.indexOf("\r\n"));
    }
  }
}
