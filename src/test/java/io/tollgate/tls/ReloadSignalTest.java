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

/** {@code SIGHUP} makes a running Tollgate (its own JVM) serve new handshakes with the files now on disk. */
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
}
