package io.tollgate.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tollgate.RawHttp;
import io.tollgate.RawHttp2;
import io.tollgate.RecordingBackend;
import io.tollgate.TestTollgate;
import io.tollgate.tls.TestCertificates;
import io.vertx.core.json.JsonObject;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.lifecycle.BeforeTry;

/**
 * Request-targets from the RFC 3986 grammar with dot segments, path parameters, fragments, encoded
 * dots and slashes, backslashes and absolute forms mixed in, without a token: each is refused (400),
 * finds no route (404), needs a token (401), or reaches the backend once, at a canonical path under a
 * public route, the one it was authorised for; over HTTP/1.1, and over HTTP/2 both with prior knowledge
 * and over TLS with ALPN h2 (each target sent on both, and answered the same on both).
 */
class RequestTargetPropertiesTest {
  static final Set<String> PUBLIC = Set.of("/v1/orders/open/", "/v1/public/", "/");
  static RecordingBackend backend;
  static TestTollgate tollgate;
  static TestTollgate tls;
  static List<RawHttp2.Transport> http2;

  @BeforeContainer
  static void start() {
    backend = new RecordingBackend();
    tollgate = TestTollgate.start(GatewayProbeTest.config("target_properties", backend.url()));
    TestCertificates ca = TestCertificates.create("Tollgate Properties CA");
    TestCertificates.Pair edge = ca.ec("edge", GatewayProbeTest.HOST);
    JsonObject config = GatewayProbeTest.config("target_properties_tls", backend.url());
    config.getJsonObject("http").put("tls", new JsonObject().put("cert", edge.cert().toString())
        .put("key", edge.key().toString()));
    tls = TestTollgate.start(config);
    http2 = List.of(RawHttp2.Transport.h2c(tollgate.port()),
        RawHttp2.Transport.tls(tls.port(), ca.trustingContext(), GatewayProbeTest.HOST));
  }

  @AfterContainer
  static void stop() {
    tollgate.close();
    tls.close();
    backend.close();
  }

  @BeforeTry
  void clear() {
    backend.clear();
  }

  @Property(tries = 300)
  void overHttp1EveryTargetIsRefusedOrForwardedCanonicallyUnderItsRoute(@ForAll("targets") String target) {
    RawHttp.Answer answer = RawHttp.exchange(tollgate.port(), "GET " + target + " HTTP/1.1\r\nHost: "
        + GatewayProbeTest.HOST + "\r\nConnection: close\r\n\r\n");
    check("HTTP/1.1: ", target, answer.status());
  }

  @Property(tries = 100) // each on both transports; a TLS handshake costs some 60 ms
  void overHttp2EveryPathIsRefusedOrForwardedCanonicallyUnderItsRoute(@ForAll("targets") String target) {
    List<Integer> statuses = new java.util.ArrayList<>();
    for (RawHttp2.Transport transport : http2) {
      int status = RawHttp2.get(transport, GatewayProbeTest.HOST, target).status();
      check(transport + ": ", target, status);
      statuses.add(status);
      backend.clear();
    }
    assertEquals(1, Set.copyOf(statuses).size(), target + " answered " + statuses + " over " + http2);
  }

  private static void check(String over, String target, int status) {
    assertTrue(Set.of(400, 401, 404, 200).contains(status), over + target + " → " + status);
    List<String> lines = backend.requestLines();
    if (status != 200) {
      assertEquals(List.of(), lines, over + target + " → " + status + " yet forwarded");
      return;
    }
    assertEquals(1, lines.size(), over + target + " → " + lines);
    String line = lines.get(0);
    String forwarded = line.substring(4, line.lastIndexOf(' '));
    String path = forwarded.contains("?") ? forwarded.substring(0, forwarded.indexOf('?')) : forwarded;
    assertTrue(path.startsWith("/v1/orders/open/") || path.startsWith("/v1/public/"),
        over + target + " reached " + forwarded + " outside the public routes");
    String sent = target.endsWith("?") ? target.substring(0, target.length() - 1) : target; // an empty query is dropped
    assertTrue(sent.endsWith(forwarded), over + target + " was forwarded as " + forwarded + ", not as authorised");
    for (String segment : path.split("/", -1)) {
      String name = decode(segment.contains(";") ? segment.substring(0, segment.indexOf(';')) : segment);
      assertFalse(name.equals(".") || name.equals("..") || name.startsWith("..;") || name.contains("/")
          || name.contains("\\") || name.contains("#"), over + target + ": segment " + segment + " of " + forwarded);
    }
  }

  /** The segment as a backend that decodes percent-encoding (then path parameters) reads it. */
  private static String decode(String segment) {
    try {
      String once = URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
      return once.contains(";") ? once.substring(0, once.indexOf(';')) : once;
    } catch (IllegalArgumentException malformed) {
      return "#malformed";
    }
  }

  @Provide
  Arbitrary<String> targets() {
    Arbitrary<String> start = Arbitraries.of("/v1/orders/open/", "/v1/public/", "/v1/orders/", "/v1/", "/",
        "http://api.profix-it.nl/v1/orders/open/", "HTTPS://API.PROFIX-IT.NL/v1/public/",
        "http://evil.example/v1/public/", "foo://api.profix-it.nl/v1/public/", "//v1/public/",
        "http://api.profix-it.nl", "*", "v1/public/");
    Arbitrary<String> segment = Arbitraries.oneOf(
        Arbitraries.strings().withChars("abcXYZ019-._~!$&'()*+,=:@").ofMinLength(0).ofMaxLength(6),
        Arbitraries.of(".", "..", "...", "%2e", "%2E%2e", ".%2e", "%2e.", "..;", ".;", "..;x=1", "a;b=c", ";",
            "%3b", "..%3b", "%2f", "%2F", "%5c", "\\", "..\\", "a\\..", "#", "#x", "..#x", "%00", "%zz", "%",
            "%41", "caf\u00e9", "secret", "open", "orders", "a b", "\t", "[", "|", "{}"));
    Arbitrary<String> path = segment.list().ofMinSize(0).ofMaxSize(5).map(list -> String.join("/", list));
    Arbitrary<String> tail = Arbitraries.of("", "", "", "?q=1", "?a=/../b", "?x#f", "#f", "?%2e%2e", "/", "?");
    return Combinators.combine(start, path, tail).as((s, p, t) -> s + p + t)
        .filter(target -> !target.isEmpty() && !target.contains(" ") && !target.contains("\t"));
  }
}
