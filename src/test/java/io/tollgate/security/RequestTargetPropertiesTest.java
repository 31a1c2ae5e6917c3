package io.tollgate.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tollgate.RawHttp;
import io.tollgate.RawHttp2;
import io.tollgate.RecordingBackend;
import io.tollgate.TestTollgate;
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
 * public route, the one it was authorised for; over HTTP/1.1 and over HTTP/2 with prior knowledge.
 */
class RequestTargetPropertiesTest {
  static final Set<String> PUBLIC = Set.of("/v1/orders/open/", "/v1/public/", "/");
  static RecordingBackend backend;
  static TestTollgate tollgate;

  @BeforeContainer
  static void start() {
    backend = new RecordingBackend();
    tollgate = TestTollgate.start(GatewayProbeTest.config("target_properties", backend.url()));
  }

  @AfterContainer
  static void stop() {
    tollgate.close();
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
    check(target, answer.status());
  }

  @Property(tries = 150)
  void overHttp2EveryPathIsRefusedOrForwardedCanonicallyUnderItsRoute(@ForAll("targets") String target) {
    RawHttp2.Answer answer = RawHttp2.get(tollgate.port(), GatewayProbeTest.HOST, target);
    check(target, answer.status());
  }

  private static void check(String target, int status) {
    assertTrue(Set.of(400, 401, 404, 200).contains(status), target + " → " + status);
    List<String> lines = backend.requestLines();
    if (status != 200) {
      assertEquals(List.of(), lines, target + " → " + status + " yet forwarded");
      return;
    }
    assertEquals(1, lines.size(), target + " → " + lines);
    String line = lines.get(0);
    String forwarded = line.substring(4, line.lastIndexOf(' '));
    String path = forwarded.contains("?") ? forwarded.substring(0, forwarded.indexOf('?')) : forwarded;
    assertTrue(path.startsWith("/v1/orders/open/") || path.startsWith("/v1/public/"),
        target + " reached " + forwarded + " outside the public routes");
    String sent = target.endsWith("?") ? target.substring(0, target.length() - 1) : target; // an empty query is dropped
    assertTrue(sent.endsWith(forwarded), target + " was forwarded as " + forwarded + ", not as authorised");
    for (String segment : path.split("/", -1)) {
      String name = decode(segment.contains(";") ? segment.substring(0, segment.indexOf(';')) : segment);
      assertFalse(name.equals(".") || name.equals("..") || name.startsWith("..;") || name.contains("/")
          || name.contains("\\") || name.contains("#"), target + ": segment " + segment + " of " + forwarded);
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
