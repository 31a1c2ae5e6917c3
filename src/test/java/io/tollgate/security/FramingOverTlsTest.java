package io.tollgate.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tollgate.RecordingBackend;
import io.tollgate.TestTollgate;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The framing guard on a TLS listener sits behind the TLS handler, where the bytes are HTTP: a
 * well-formed request passes, a wrapped chunk size is refused as on the plain port.
 */
class FramingOverTlsTest {
  static RecordingBackend backend;
  static TestTollgate tollgate;

  @BeforeAll
  static void start() throws Exception {
    backend = new RecordingBackend();
    JsonObject config = GatewayProbeTest.config("framing_tls", backend.url());
    Path dir = Files.createTempDirectory("tollgate-tls");
    selfSigned(dir);
    config.getJsonObject("http").put("tls", new JsonObject().put("cert", dir.resolve("cert.pem").toString())
        .put("key", dir.resolve("key.pem").toString()));
    tollgate = TestTollgate.start(config);
  }

  @AfterAll
  static void stop() {
    tollgate.close();
    backend.close();
  }

  /** A self-signed certificate from the JDK's keytool, written out as PEM. */
  private static void selfSigned(Path dir) throws Exception {
    Path store = dir.resolve("tls.p12");
    Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-alias", "tls", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
        "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", "changeit")
        .redirectErrorStream(true).start();
    keytool.getInputStream().readAllBytes();
    assertEquals(0, keytool.waitFor(), "keytool");
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = new FileInputStream(store.toFile())) {
      keys.load(in, "changeit".toCharArray());
    }
    PrivateKey key = (PrivateKey) keys.getKey("tls", "changeit".toCharArray());
    Files.writeString(dir.resolve("key.pem"), pem("PRIVATE KEY", key.getEncoded()));
    Files.writeString(dir.resolve("cert.pem"), pem("CERTIFICATE", keys.getCertificate("tls").getEncoded()));
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(der) + "\n-----END " + type + "-----\n";
  }

  private static String exchange(String request) throws Exception {
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, new TrustManager[] {new X509TrustManager() {
      public void checkClientTrusted(X509Certificate[] chain, String auth) {}
      public void checkServerTrusted(X509Certificate[] chain, String auth) {}
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    }}, null);
    try (Socket socket = tls.getSocketFactory().createSocket("127.0.0.1", tollgate.port())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      try {
        socket.getInputStream().transferTo(answer);
      } catch (javax.net.ssl.SSLException closedWithoutNotify) {
        // the server closed after its answer
      }
      return answer.toString(StandardCharsets.ISO_8859_1);
    }
  }

  @Test
  void aWellFormedRequestPassesAndAWrappedChunkSizeIsRefused() throws Exception {
    String post = "POST /v1/public/a HTTP/1.1\r\nHost: " + GatewayProbeTest.HOST + "\r\nTransfer-Encoding: chunked\r\n";
    String legal = exchange(post + "Connection: close\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
    assertTrue(legal.startsWith("HTTP/1.1 200"), legal);
    assertEquals(1, backend.received().size());
    backend.clear();
    String wrapped = exchange(post + "\r\n10000000000000005\r\nhello\r\n0\r\n\r\nGET /v1/public/smuggled HTTP/1.1\r\nHost: "
        + GatewayProbeTest.HOST + "\r\n\r\n");
    assertTrue(wrapped.startsWith("HTTP/1.1 400"), wrapped);
    assertEquals(1, wrapped.split("HTTP/1.1 ", -1).length - 1, "one answer: " + wrapped);
    assertEquals(List.of(), backend.received());
  }
}
