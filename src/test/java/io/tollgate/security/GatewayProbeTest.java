package io.tollgate.security;

import static io.tollgate.TestTollgate.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.SecureDigestAlgorithm;
import io.tollgate.RawHttp;
import io.tollgate.RawHttp2;
import io.tollgate.RecordingBackend;
import io.tollgate.TestTollgate;
import io.tollgate.config.TollgateConfig;
import io.tollgate.tls.TestCertificates;
import io.tollgate.tokens.SigningKeys;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.Key;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

/**
 * Issue 17: each row of the black-box probe, sent as exact bytes on a socket, asserting the answer
 * and what the backend received (a socket that records the bytes the gateway forwards).
 */
class GatewayProbeTest {
  static final String HOST = "api.profix-it.nl";
  static RecordingBackend backend;
  static TestTollgate tollgate;
  /** The same configuration on a TLS listener (ALPN h2), metrics on a plain management port. */
  static TestTollgate tls;
  static TestCertificates ca;
  static String ordersToken;
  static String kid;
  static Key signingKey;
  static String algorithm;
  static final ListAppender<ILoggingEvent> log = new ListAppender<>();

  @BeforeAll
  static void start() {
    backend = new RecordingBackend();
    tollgate = TestTollgate.start(config("probe", backend.url()));
    ca = TestCertificates.create("Tollgate Probe CA");
    TestCertificates.Pair edge = ca.ec("edge", HOST);
    JsonObject tlsConfig = config("probe_tls", backend.url());
    tlsConfig.getJsonObject("http").put("tls", new JsonObject().put("cert", edge.cert().toString())
        .put("key", edge.key().toString()));
    tlsConfig.put("management", new JsonObject().put("host", "127.0.0.1").put("port", 0));
    tls = TestTollgate.start(tlsConfig);
    ordersToken = json(tollgate.postForm("/token", "b81cc4de-d192-400e-bcb4-09254394c52a:n3G7KAhcv8OH",
        "grant_type", "password", "username", "demo@profix-it.nl", "password", "demo-password"))
        .getString("access_token");
    log.start();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(log);
  }

  /** A private route with a public sub-route, a public route, and a public route that strips its prefix. */
  static JsonObject config(String name, String backendUrl) {
    JsonObject config = TestTollgate.config(name);
    config.getJsonObject("security").put("rateLimit", new JsonObject().put("enabled", false));
    JsonArray hosts = new JsonArray().add(HOST);
    JsonArray backends = new JsonArray().add(backendUrl);
    config.put("routes", new JsonArray()
        .add(new JsonObject().put("path", "/v1/orders/").put("hosts", hosts).put("backends", backends)
            .put("scopes", new JsonArray().add("orders")))
        .add(new JsonObject().put("path", "/v1/orders/open/").put("hosts", hosts).put("backends", backends)
            .put("public", true))
        .add(new JsonObject().put("path", "/v1/public/").put("hosts", hosts).put("backends", backends)
            .put("public", true))
        .add(new JsonObject().put("path", "/v1/public/private/").put("hosts", hosts).put("backends", backends)
            .put("scopes", new JsonArray().add("orders")))
        .add(new JsonObject().put("path", "/strip/").put("hosts", hosts).put("backends", backends)
            .put("public", true).put("stripPrefix", true)));
    keyDir = Path.of(config.getString("dataDir"));
    return config;
  }

  static Path keyDir;

  @AfterAll
  static void stop() {
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(log);
    tollgate.close();
    tls.close();
    backend.close();
  }

  @BeforeEach
  void clear() {
    backend.clear();
  }

  static RawHttp.Answer send(String head) {
    return RawHttp.exchange(tollgate.port(), head);
  }

  static String get(String target, String... headers) {
    return "GET " + target + " HTTP/1.1\r\nHost: " + HOST + "\r\n" + String.join("", headers)
        + "Connection: close\r\n\r\n";
  }

  static void refusedAndNotForwarded(String request) {
    RawHttp.Answer answer = send(request);
    assertEquals(400, answer.status(), request + " → " + answer.text());
    assertEquals("invalid_request", new JsonObject(answer.body()).getString("error"), answer.text());
    assertEquals(List.of(), backend.received(), "the backend saw nothing of " + request);
  }

  @Test
  void row1AFragmentOrQueryAfterADotSegmentNeverReachesThePrivateRoute() {
    for (String target : new String[] {"/v1/orders/open/..#x", "/v1/orders/open/..?x", "/v1/orders/open/.#",
        "/v1/orders/open/%2e%2e/x", "/v1/orders/open/.%2E/x", "/v1/orders/open/..%3b/x", "/v1/public/a#frag",
        "/v1/public/a\\..\\b", "/v1/public/caf\u00e9", "/v1/public/a%zz", "/v1/public/a%00"}) {
      refusedAndNotForwarded(get(target));
    }
  }

  @Test
  void row2AnAbsoluteFormTargetIsTakenOnlyForItsOwnHostAndForwardedInOriginForm() {
    refusedAndNotForwarded(get("http://evil.example/v1/public/a"));
    refusedAndNotForwarded(get("foo://" + HOST + "/v1/public/a"));
    refusedAndNotForwarded(get("http://" + HOST + "@evil.example/v1/public/a"));
    assertEquals(200, send(get("http://" + HOST + "/v1/public/a?x=1")).status());
    assertEquals(200, send(get("HTTPS://API.profix-it.nl/strip/b")).status());
    assertEquals(List.of("GET /v1/public/a?x=1 HTTP/1.1", "GET /b HTTP/1.1"), backend.requestLines(),
        "origin-form, and the route's prefix stripped as for any request");
  }

  @Test
  void row3ADotDotSemicolonSegmentIsRefused() {
    refusedAndNotForwarded(get("/v1/orders/open/..;/secret"));
    refusedAndNotForwarded(get("/v1/orders/open/.;x/secret"));
    refusedAndNotForwarded(get("/v1/orders/open/..;jsessionid=1"));
  }

  @Test
  void aPathThatAServletBackendReadsAsAPrivateRouteIsRefused() {
    for (String target : new String[] {"/v1/public/private;x/secret", "/v1/public//private/secret",
        "/v1/public/;/private/secret", "/v1/public/private;/secret?q=1"}) {
      refusedAndNotForwarded(get(target));
    }
    assertEquals(200, send(get("/v1/public/a;v=1/b")).status(), "parameters within one route pass");
    assertEquals(200, send(get("/v1/public//a?x=;")).status(), "so do empty segments and ; in the query");
    assertEquals(List.of("GET /v1/public/a;v=1/b HTTP/1.1", "GET /v1/public//a?x=; HTTP/1.1"),
        backend.requestLines(), "forwarded exactly as sent");
  }

  @Test
  void row4IdentityHeadersSpelledWithUnderscoresAreDropped() {
    RawHttp.Answer answer = send(get("/v1/public/a", "X_Auth_Subject: evil\r\n", "x_auth_scope: admin\r\n",
        "X-AUTH-CLIENT-ID: evil\r\n"));
    assertEquals(200, answer.status(), answer.text());
    String forwarded = backend.received().get(0).toLowerCase(Locale.ROOT);
    assertFalse(forwarded.contains("x_auth") || forwarded.contains("x-auth") || forwarded.contains("evil"), forwarded);
  }

  @Test
  void row5TheCallersProxyHeadersAreReplacedByTollgatesOwn() {
    RawHttp.Answer answer = send(get("/v1/orders/open/a", "Forwarded: for=6.6.6.6;host=evil\r\n",
        "X-Real-IP: 6.6.6.6\r\n", "X-Forwarded-Port: 6666\r\n", "X-Forwarded-Prefix: /evil\r\n",
        "X-Original-URL: /v1/orders/secret\r\n", "X-Rewrite-URL: /v1/orders/secret\r\n",
        "X_Forwarded_For: 6.6.6.6\r\n", "x-forwarded-host: evil\r\n"));
    assertEquals(200, answer.status(), answer.text());
    String forwarded = backend.received().get(0);
    String lower = forwarded.toLowerCase(Locale.ROOT);
    for (String gone : new String[] {"6.6.6.6", "6666", "evil", "/v1/orders/secret", "x-real-ip", "x-original-url",
        "x-rewrite-url", "x-forwarded-port", "x-forwarded-prefix", "x_forwarded"}) {
      assertFalse(lower.contains(gone), gone + " reached the backend: " + forwarded);
    }
    assertTrue(forwarded.contains("\r\nForwarded: for=127.0.0.1;proto=http;host=\"" + HOST + "\"\r\n"), forwarded);
    assertTrue(forwarded.contains("\r\nX-Forwarded-For: 127.0.0.1\r\n"), forwarded);
    assertTrue(forwarded.contains("\r\nX-Forwarded-Host: " + HOST + "\r\n"), forwarded);
    assertEquals(1, lower.split("\r\nforwarded:", -1).length - 1, "one Forwarded header: " + forwarded);
  }

  @Test
  void row6AmbiguousChunkSizesAndContentLengthsAreRefusedBeforeTheDecoder() {
    String post = "POST /v1/public/a HTTP/1.1\r\nHost: " + HOST + "\r\n";
    String smuggled = "GET /v1/orders/smuggled2 HTTP/1.1\r\nHost: " + HOST + "\r\n\r\n";
    RawHttp.Answer wrapped = send(post + "Transfer-Encoding: chunked\r\n\r\n10000000000000005\r\nhello\r\n0\r\n\r\n"
        + smuggled);
    assertEquals(400, wrapped.status(), wrapped.text());
    assertEquals(1, wrapped.text().split("HTTP/1.1 ", -1).length - 1, "one answer: " + wrapped.text());
    for (String chunk : new String[] {"5 \r\nhello\r\n0\r\n\r\n", "5 junk\r\nhello\r\n0\r\n\r\n",
        "5\nhello\r\n0\r\n\r\n", "5\r\nhelloXX0\r\n\r\n", "0x5\r\nhello\r\n0\r\n\r\n", "80000000\r\nhello\r\n0\r\n\r\n"}) {
      refusedAndNotForwarded(post + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n" + chunk);
    }
    for (String length : new String[] {"005", "+5", "5, 5", " 0x5", "-5"}) {
      refusedAndNotForwarded(post + "Content-Length: " + length + "\r\nConnection: close\r\n\r\nhello");
    }
    refusedAndNotForwarded(post + "Content-Length: 5\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello");
    refusedAndNotForwarded(post + "Content-Length : 5\r\nConnection: close\r\n\r\nhello");
    refusedAndNotForwarded(post + "X-Folded: a\r\n b\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello");
    assertEquals(List.of(), backend.received());
    RawHttp.Answer legal = send(post + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
        + "5;name=\"a value\"\r\nhello\r\n0\r\n\r\n");
    assertEquals(200, legal.status(), "a chunk extension is legal (RFC 9112 §7.1.1): " + legal.text());
    assertTrue(backend.received().get(0).contains("hello"), backend.received().toString());
  }

  @Test
  void row7ATokenWithANonStringClaimIsAnsweredAtOnceAndLoggedWithoutTheToken() {
    SigningKeys keys = SigningKeys.load(new TollgateConfig.Signing("ES256", List.of()), keyDir);
    long now = System.currentTimeMillis() / 1000;
    @SuppressWarnings("unchecked")
    SecureDigestAlgorithm<Key, ?> alg = (SecureDigestAlgorithm<Key, ?>) Jwts.SIG.get().get(keys.algorithm());
    for (String claim : new String[] {"scope", "client_id", "sub"}) {
      JsonObject claims = new JsonObject().put("iss", "https://api.profix-it.nl").put("aud", "https://api.profix-it.nl")
          .put("sub", "456").put("client_id", "b81cc4de-d192-400e-bcb4-09254394c52a").put("scope", "orders")
          .put("iat", now).put("exp", now + 600).put("jti", UUID.randomUUID().toString());
      claims.put(claim, new JsonArray().add("orders"));
      String token = Jwts.builder().header().type("at+jwt").keyId(keys.activeKid()).and()
          .content(claims.encode().getBytes(java.nio.charset.StandardCharsets.UTF_8))
          .signWith(keys.signingKey(), alg).compact();
      long start = System.nanoTime();
      RawHttp.Answer answer = send(get("/v1/orders/7", "Authorization: Bearer " + token + "\r\n"));
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertEquals(401, answer.status(), claim + ": " + answer.text());
      assertEquals("invalid_token", new JsonObject(answer.body()).getString("error"), claim);
      assertTrue(millis < 2_000, claim + ": answered in " + millis + " ms");
      for (ILoggingEvent event : log.list) {
        String text = event.getFormattedMessage()
            + (event.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(event.getThrowableProxy()));
        assertFalse(text.contains(token.substring(token.lastIndexOf('.') - 40)), "the token in the log: " + text);
      }
    }
    assertEquals(List.of(), backend.received());
  }

  @Test
  void row8APublicClientCannotIntrospectNorRevokeAnotherClientsToken() {
    HttpResponse<String> introspection = tollgate.postForm("/token/introspect", null,
        "client_id", "spa-public", "token", ordersToken);
    assertEquals(401, introspection.statusCode(), introspection.body());
    assertEquals("invalid_client", json(introspection).getString("error"));
    assertFalse(introspection.body().contains("456"), "no claim of the token: " + introspection.body());
    HttpResponse<String> revocation = tollgate.postForm("/token/revoke", null,
        "client_id", "spa-public", "token", ordersToken);
    assertEquals(200, revocation.statusCode(), "RFC 7009 §2.2: 200, and the token is not revoked");
    assertEquals(200, send(get("/v1/orders/7", "Authorization: Bearer " + ordersToken + "\r\n")).status(),
        "the token still works");
  }

  @Test
  void row9ATokenInAPathParameterIsRefusedAndNeverLogged() throws Exception {
    refusedAndNotForwarded(get("/v1/orders/a;_bearer_token=" + ordersToken));
    refusedAndNotForwarded(get("/v1/public/a;_BEARER_TOKEN=" + ordersToken + "/b"));
    assertEquals(200, send(get("/v1/public/matrix;v=1/b;jsessionid=secret-session")).status());
    assertEquals(List.of("GET /v1/public/matrix;v=1/b;jsessionid=secret-session HTTP/1.1"), backend.requestLines(),
        "a legitimate path parameter passes as sent");
    Thread.sleep(300); // the access log is asynchronous
    String fragment = ordersToken.substring(ordersToken.length() - 40);
    boolean sawMatrix = false;
    for (ILoggingEvent event : log.list) {
      String line = event.getFormattedMessage();
      assertFalse(line.contains(fragment) || line.contains("eyJ"), "a token in the log: " + line);
      assertFalse(line.contains("secret-session"), "path parameters are not logged: " + line);
      sawMatrix |= line.contains("/v1/public/matrix 200");
    }
    assertTrue(sawMatrix, "the access log has the path without its parameters");
  }

  /** HTTP/2 with prior knowledge on the plain port, and HTTP/2 over TLS negotiated by ALPN. */
  static Stream<Named<Http2Edge>> http2() {
    return Stream.of(Named.of("h2c", new Http2Edge(RawHttp2.Transport.h2c(tollgate.port()), tollgate.uri("/metrics"))),
        Named.of("TLS + ALPN h2", new Http2Edge(RawHttp2.Transport.tls(tls.port(), ca.trustingContext(), HOST),
            java.net.URI.create("http://127.0.0.1:" + tls.managementPort() + "/metrics"))));
  }

  record Http2Edge(RawHttp2.Transport transport, java.net.URI metrics) {
    String metricsText() {
      return tollgate.send(java.net.http.HttpRequest.newBuilder(metrics).GET().build()).body();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("http2")
  void row10Http2PathsAndFieldsGetTheSameAnswersAsHttp1(Http2Edge edge) {
    RawHttp2.Transport transport = edge.transport();
    for (String path : new String[] {"/v1/orders/open/..#x", "/v1/orders/open/..;/secret", "/v1/public/a b",
        "/v1/public/a\r\nX-Auth-Subject: evil", "/v1/public/a\nx", "http://evil.example/v1/public/a",
        "/v1/orders/open/%2e%2e/x"}) {
      RawHttp2.Answer answer = RawHttp2.get(transport, HOST, path);
      assertEquals(400, answer.status(), path + ": " + answer);
      assertTrue(answer.millis() < 2_000, path + ": answered in " + answer.millis() + " ms");
    }
    RawHttp2.Answer crlf = RawHttp2.get(transport, HOST, "/v1/public/a", "x-test", "a\r\nX-Auth-Subject: evil");
    assertEquals(400, crlf.status(), "CRLF in a value is the caller's error: " + crlf);
    assertEquals(400, RawHttp2.get(transport, HOST, "/v1/public/a", "x-test", "a\nb").status(), "LF in a value");
    assertEquals(400, RawHttp2.get(transport, HOST, "/v1/public/a", "x:colon", "a").status(), "a colon in a name");
    assertEquals(List.of(), backend.received(), "the backend saw none of them");
    String metrics = edge.metricsText();
    assertTrue(metrics.contains("tollgate_"), metrics);
    assertFalse(metrics.contains("tollgate_backend_errors_total{"), "no backend failure counted: " + metrics);
    RawHttp2.Answer plain = RawHttp2.get(transport, HOST, "/v1/public/a", "x_auth_subject", "evil");
    assertEquals(200, plain.status(), plain.toString());
    String forwarded = backend.received().get(0).toLowerCase(Locale.ROOT);
    assertFalse(forwarded.contains("transfer-encoding"), "a body-less HTTP/2 GET has no body framing: " + forwarded);
    assertFalse(forwarded.contains("evil"), forwarded);
  }

  @Test
  void anH2cUpgradeStillWorksTheGuardStepsAsideAfterThe101() throws Exception {
    java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder()
        .version(java.net.http.HttpClient.Version.HTTP_2).build();
    for (int i = 0; i < 3; i++) { // the first request upgrades; the others are HTTP/2 streams on that connection
      // after the first, bodies whose bytes would look like HTTP/1 obs-fold lines to a guard still reading
      java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(
          java.net.URI.create("http://127.0.0.1:" + tollgate.port() + "/v1/public/up" + i));
      HttpResponse<String> response = client.send(i == 0 ? request.build()
          : request.POST(java.net.http.HttpRequest.BodyPublishers.ofString("a\n\tb\r\n 0x5\r\n")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(404, response.statusCode(), "no route for host 127.0.0.1, answered over " + response.version());
      assertEquals(java.net.http.HttpClient.Version.HTTP_2, response.version());
    }
  }

  static String metrics() {
    return tollgate.get("/metrics").body();
  }
}
