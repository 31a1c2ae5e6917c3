package io.tollgate.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.tollgate.TestTollgate;
import io.tollgate.tls.TestCertificates.Pair;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * README, "TLS at the edge" rotation: replaced files serve new handshakes while an open keep-alive connection
 * carries on; a broken replacement is refused with one log line and the previous certificate serves.
 */
class CertificateRotationTest {
  static final ListAppender<ILoggingEvent> log = new ListAppender<>();
  static TestCertificates ca;
  static Path live;
  static TestTollgate tollgate;

  @BeforeAll
  static void start() throws Exception {
    ca = TestCertificates.create("Rotation CA");
    Pair first = ca.ec("first", "first.example");
    live = Files.createTempDirectory("tollgate-live-tls");
    install(first);
    JsonObject config = TestTollgate.config("tls_rotation");
    config.getJsonObject("http").put("tls", new JsonObject()
        .put("cert", live.resolve("tls.crt").toString()).put("key", live.resolve("tls.key").toString()));
    log.start();
    ((Logger) LoggerFactory.getLogger(CertificateRotation.class)).addAppender(log);
    tollgate = TestTollgate.start(config);
  }

  @AfterAll
  static void stop() {
    ((Logger) LoggerFactory.getLogger(CertificateRotation.class)).detachAppender(log);
    tollgate.close();
  }

  /** As a deployment tool does it: each file replaced whole, by a rename. */
  static void install(Pair pair) throws Exception {
    replace(pair.key(), live.resolve("tls.key"));
    replace(pair.cert(), live.resolve("tls.crt"));
  }

  private static void replace(Path from, Path to) throws Exception {
    Path staged = Files.copy(from, to.resolveSibling(to.getFileName() + ".new"), StandardCopyOption.REPLACE_EXISTING);
    Files.move(staged, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  static String health(SSLSocket socket) throws Exception {
    socket.getOutputStream().write("GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IllegalStateException("closed after " + head);
      }
      head.write(b);
    }
    String text = head.toString(StandardCharsets.ISO_8859_1);
    java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(text);
    assertTrue(length.find(), text);
    in.readNBytes(Integer.parseInt(length.group(1)));
    return text.substring(0, text.indexOf("\r\n"));
  }

  static X509Certificate awaitServed(X509Certificate wanted) throws Exception {
    X509Certificate served = null;
    for (int i = 0; i < 100 && !wanted.equals(served); i++) {
      Thread.sleep(100);
      served = TlsClients.served(tollgate.port(), null);
    }
    return served;
  }

  @Test
  void replacedFilesServeNewHandshakesWhileAnOpenConnectionCarriesOn() throws Exception {
    X509Certificate first = TlsClients.served(tollgate.port(), null);
    assertEquals("first.example", TlsClients.names(first).get(0));
    try (SSLSocket open = TlsClients.handshake(tollgate.port(), null, null)) {
      assertEquals("HTTP/1.1 200 OK", health(open));
      Pair second = ca.rsa("second", "second.example");
      install(second);
      assertEquals(TestCertificates.certificate(second.cert()), awaitServed(TestCertificates.certificate(second.cert())));
      // the connection opened before the rotation goes on, on the session it negotiated
      assertEquals("HTTP/1.1 200 OK", health(open));
      assertEquals(first, open.getSession().getPeerCertificates()[0]);

      int warnings = log.list.size();
      Files.writeString(live.resolve("tls.crt"), "-----BEGIN CERTIFICATE-----\nbroken\n-----END CERTIFICATE-----\n");
      Thread.sleep(3_500); // three polls and more
      assertEquals(TestCertificates.certificate(second.cert()), TlsClients.served(tollgate.port(), null));
      long refused = log.list.stream().skip(warnings).filter(e -> e.getFormattedMessage().contains("not reloaded")).count();
      assertEquals(1, refused, "one line for one broken set: " + log.list);
      assertEquals("HTTP/1.1 200 OK", health(open));
    }
  }
}
