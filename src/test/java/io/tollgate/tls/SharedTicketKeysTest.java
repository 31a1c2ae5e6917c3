package io.tollgate.tls;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tollgate.TestTollgate;
import io.tollgate.tls.TestCertificates.Pair;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * {@code http.tls.ticketKeys} (README, "TLS at the edge"): a session ticket one instance issued resumes on
 * another that shares the file (RFC 8446 §2.2), and not on one with keys of its own.
 */
class SharedTicketKeysTest {
  private static String key() {
    byte[] key = new byte[48];
    new SecureRandom().nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }

  private static JsonObject config(String name, Pair pair, Path ticketKeys) {
    JsonObject config = TestTollgate.config(name);
    JsonObject tls = new JsonObject().put("cert", pair.cert().toString()).put("key", pair.key().toString());
    if (ticketKeys != null) {
      tls.put("ticketKeys", ticketKeys.toString());
    }
    config.getJsonObject("http").put("tls", tls);
    return config;
  }

  /** A full handshake on {@code first} saving the session, then one on {@code second} offering it. */
  private static String resumeAcross(int first, int second, Path dir) throws Exception {
    Path session = dir.resolve("session-" + first + "-" + second + ".pem");
    // TLS 1.3 sends the ticket after the handshake: -ign_eof reads on until the answer to the request is in
    String issued = TlsClients.sClientWithRequest(first, "-tls1_3", "-sess_out", session.toString());
    assertTrue(issued.startsWith("0\n") && issued.contains("New, TLSv1.3"), issued);
    return TlsClients.sClientWithRequest(second, "-tls1_3", "-sess_in", session.toString());
  }

  @Test
  void aTicketFromOneInstanceResumesOnAnotherSharingTheKeys() throws Exception {
    TestCertificates ca = TestCertificates.create("Tickets CA");
    Pair pair = ca.ec("shared", "api.profix-it.nl");
    Path keys = Files.writeString(ca.dir().resolve("tickets.keys"), "# newest first\n" + key() + "\n" + key() + "\n");
    Path other = Files.writeString(ca.dir().resolve("other.keys"), key() + "\n");
    try (TestTollgate a = TestTollgate.start(config("tickets_a", pair, keys));
        TestTollgate b = TestTollgate.start(config("tickets_b", pair, keys));
        TestTollgate c = TestTollgate.start(config("tickets_c", pair, other))) {
      String resumed = resumeAcross(a.port(), b.port(), ca.dir());
      assertTrue(resumed.startsWith("0\n") && resumed.contains("Reused, TLSv1.3"), resumed);
      String notShared = resumeAcross(a.port(), c.port(), ca.dir());
      assertTrue(notShared.startsWith("0\n") && notShared.contains("New, TLSv1.3"), notShared);
    }
  }
}
