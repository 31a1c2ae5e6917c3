package io.tollgate.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tollgate.RecordingBackend;
import io.tollgate.TestTollgate;
import io.tollgate.tls.TestCertificates.Pair;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The TLS listener against real clients (README, "TLS at the edge"): a certificate per host by SNI, TLS 1.1
 * refused, h2 negotiated by ALPN and carrying the token endpoint, the login page and the gateway,
 * HSTS on every answer, and the plain listener's 308.
 */
class EdgeTlsTest {
  static TestCertificates ca;
  static Pair fallback;
  static Pair nl;
  static Pair be;
  static RecordingBackend backend;
  static TestTollgate tollgate;
  static HttpClient h2;

  @BeforeAll
  static void start() {
    ca = TestCertificates.create("Tollgate Test CA");
    fallback = ca.ec("default", "localhost", "127.0.0.1");
    nl = ca.ec("nl", "api.profix-it.nl");
    be = ca.rsa("be", "api.profix-it.be", "*.profix-it.be");
    backend = new RecordingBackend();
    JsonObject config = TestTollgate.config("edge_tls");
    config.getJsonObject("security").put("rateLimit", new JsonObject().put("enabled", false));
    config.put("routes", new JsonArray().add(new JsonObject().put("path", "/v1/public/")
        .put("backends", new JsonArray().add(backend.url())).put("public", true)));
    config.getJsonObject("http").put("redirectPort", 0).put("tls", new JsonObject()
        .put("cert", fallback.cert().toString()).put("key", fallback.key().toString()).put("hsts", 31536000)
        .put("hosts", new JsonArray()
            .add(new JsonObject().put("names", new JsonArray().add("api.profix-it.nl"))
                .put("cert", nl.cert().toString()).put("key", nl.key().toString()))
            .add(new JsonObject().put("names", new JsonArray().add("api.profix-it.be").add("*.profix-it.be"))
                .put("cert", be.cert().toString()).put("key", be.key().toString()))));
    tollgate = TestTollgate.start(config);
    h2 = HttpClient.newBuilder().sslContext(ca.trustingContext()).version(HttpClient.Version.HTTP_2)
        .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
  }

  @AfterAll
  static void stop() {
    tollgate.close();
    backend.close();
  }

  private static URI https(String path) {
    return URI.create("https://localhost:" + tollgate.port() + path);
  }

  @Test
  void eachHostGetsItsOwnCertificateBySni() throws Exception {
    assertEquals(List.of("api.profix-it.nl"), TlsClients.names(TlsClients.served(tollgate.port(), "api.profix-it.nl")));
    assertEquals(List.of("api.profix-it.be", "*.profix-it.be"),
        TlsClients.names(TlsClients.served(tollgate.port(), "api.profix-it.be")));
    // RFC 6125 §6.4.3: the wildcard covers one label
    assertEquals(List.of("api.profix-it.be", "*.profix-it.be"),
        TlsClients.names(TlsClients.served(tollgate.port(), "shop.profix-it.be")));
    assertEquals(List.of("localhost", "127.0.0.1"), TlsClients.names(TlsClients.served(tollgate.port(), "a.b.profix-it.be")));
    assertEquals(List.of("localhost", "127.0.0.1"), TlsClients.names(TlsClients.served(tollgate.port(), null)));
    assertEquals(TestCertificates.certificate(be.cert()), TlsClients.served(tollgate.port(), "API.PROFIX-IT.BE"));
  }

  @Test
  void tls11IsRefusedAndTls12AndTls13Serve() throws Exception {
    // RFC 8996: TLS 1.1 is deprecated. openssl offers it when told (the JDK's client will not even try)
    String old = TlsClients.sClient(tollgate.port(), "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0");
    assertFalse(old.startsWith("0\n"), old);
    assertTrue(old.contains("alert protocol version") && old.contains("no peer certificate available"), old);
    String sni = TlsClients.sClient(tollgate.port(), "-tls1_2", "-servername", "api.profix-it.nl");
    assertTrue(sni.startsWith("0\n") && sni.contains("Protocol  : TLSv1.2") && sni.contains("CN = api.profix-it.nl"), sni);
    try (var socket = TlsClients.handshake(tollgate.port(), null, "TLSv1.2")) {
      assertEquals("TLSv1.2", socket.getSession().getProtocol());
    }
    try (var socket = TlsClients.handshake(tollgate.port(), null, "TLSv1.3")) {
      assertEquals("TLSv1.3", socket.getSession().getProtocol());
    }
  }

  @Test
  void theTokenEndpointAnswersOverH2WithHsts() throws Exception {
    HttpResponse<String> token = h2.send(HttpRequest.newBuilder(https("/token"))
        .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("s6BhdRkqt3:gX1fBat3bV".getBytes(StandardCharsets.UTF_8)))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope=profile")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(HttpClient.Version.HTTP_2, token.version());
    assertEquals(200, token.statusCode(), token.body());
    assertTrue(new JsonObject(token.body()).getString("access_token").length() > 20);
    assertEquals("no-store", token.headers().firstValue("Cache-Control").orElse(""));
    // RFC 6797 §6.1: max-age on every answer over TLS
    assertEquals("max-age=31536000", token.headers().firstValue("Strict-Transport-Security").orElse(""));
    HttpResponse<String> refused = h2.send(HttpRequest.newBuilder(https("/token"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(HttpClient.Version.HTTP_2, refused.version());
    assertEquals(401, refused.statusCode());
    assertEquals("invalid_client", new JsonObject(refused.body()).getString("error"));
    assertEquals("max-age=31536000", refused.headers().firstValue("Strict-Transport-Security").orElse(""));
  }

  @Test
  void theLimitsOverH2AreThoseOfHttp11() throws Exception {
    HttpResponse<String> tooBig = h2.send(HttpRequest.newBuilder(https("/token"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&pad=" + "a".repeat(70_000))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(HttpClient.Version.HTTP_2, tooBig.version());
    assertEquals(413, tooBig.statusCode(), tooBig.body());
    // RFC 9113 §6.5.2 SETTINGS_MAX_HEADER_LIST_SIZE: the 16 KiB header budget of HTTP/1.1 (Vert.x's default is 8 KiB)
    HttpResponse<String> bigHeader = h2.send(HttpRequest.newBuilder(https("/health")).header("X-Big", "b".repeat(12_000))
        .GET().build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, bigHeader.statusCode(), bigHeader.body());
    HttpResponse<String> hugeHeader = h2.send(HttpRequest.newBuilder(https("/health")).header("X-Big", "b".repeat(20_000))
        .GET().build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(431, hugeHeader.statusCode(), hugeHeader.body());
    assertEquals(200, h2.send(HttpRequest.newBuilder(https("/health")).GET().build(), HttpResponse.BodyHandlers.ofString())
        .statusCode());
  }

  @Test
  void theLoginPageAndTheGatewayAnswerOverH2() throws Exception {
    HttpResponse<String> page = h2.send(HttpRequest.newBuilder(https("/Authorization?response_type=code&client_id="
        + "spa-public&redirect_uri=https%3A%2F%2Fspa.example%2Fcallback&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        + "&code_challenge_method=S256")).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(HttpClient.Version.HTTP_2, page.version());
    assertEquals(200, page.statusCode(), page.body());
    assertTrue(page.body().contains("<form"), page.body());
    HttpResponse<String> proxied = h2.send(HttpRequest.newBuilder(https("/v1/public/a?b=c")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(HttpClient.Version.HTTP_2, proxied.version());
    assertEquals(200, proxied.statusCode(), proxied.body());
    assertEquals("max-age=31536000", proxied.headers().firstValue("Strict-Transport-Security").orElse(""));
    String forwarded = backend.received().get(backend.received().size() - 1);
    // the backend is still spoken to over HTTP/1.1
    assertTrue(forwarded.startsWith("GET /v1/public/a?b=c HTTP/1.1\r\n"), forwarded);
    assertTrue(forwarded.toLowerCase().contains("x-forwarded-proto: https"), forwarded);
  }

  @Test
  void thePlainListenerAnswers308ToHttpsAndTheProbes() throws Exception {
    HttpClient plain = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    String base = "http://127.0.0.1:" + tollgate.redirectPort();
    HttpResponse<String> moved = plain.send(HttpRequest.newBuilder(URI.create(base + "/token?x=1"))
        .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build(), HttpResponse.BodyHandlers.ofString());
    // RFC 9110 §15.4.9: 308 keeps the method; the Location is the same target on the TLS port
    assertEquals(308, moved.statusCode());
    assertEquals("https://127.0.0.1:" + tollgate.port() + "/token?x=1", moved.headers().firstValue("Location").orElse(""));
    assertFalse(moved.headers().firstValue("Strict-Transport-Security").isPresent(), "RFC 6797 §7.2: never over plain HTTP");
    assertEquals(200, plain.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode());
    assertEquals(200, plain.send(HttpRequest.newBuilder(URI.create(base + "/ready")).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode());
  }
}
