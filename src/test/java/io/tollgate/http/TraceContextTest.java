package io.tollgate.http;

import static io.tollgate.RawRequests.headers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tollgate.AccessLogCapture;
import io.tollgate.RawHttp;
import io.tollgate.RawHttp2;
import io.tollgate.RecordingBackend;
import io.tollgate.TestTollgate;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * README "Request ids and tracing", W3C Trace Context (https://www.w3.org/TR/trace-context/): a valid
 * traceparent reaches the backend with the same trace id, the gateway's own span as the new parent
 * and the sampled flag kept, tracestate beside it; a malformed one, or none, starts a new trace and
 * drops tracestate. What the backend received is read byte for byte; the access log has the trace id.
 */
class TraceContextTest {
  static final String TRACE = "0af7651916cd43dd8448eb211c80319c";
  static final String PARENT = "b7ad6b7169203331";
  static final Pattern SENT = Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-(0[01])");
  static AccessLogCapture accessLog;
  static RecordingBackend recorder;
  static TestTollgate tollgate;
  static int requests;

  @BeforeAll
  static void start() {
    recorder = new RecordingBackend();
    JsonObject config = TestTollgate.config("tracecontext");
    config.put("routes", new JsonArray().add(new JsonObject().put("path", "/rec/").put("public", true)
        .put("backends", new JsonArray().add(recorder.url()))));
    accessLog = AccessLogCapture.start();
    tollgate = TestTollgate.start(config);
  }

  @AfterAll
  static void stop() {
    accessLog.close();
    tollgate.close();
    recorder.close();
  }

  /** What the backend received for one request: its traceparent, parsed, and its tracestate fields. */
  record Seen(String path, String traceId, String parentId, String flags, List<String> tracestate, String request) {}

  @Test
  void aValidTraceparentContinuesTheTraceWithTheGatewayAsTheNewParent() {
    for (String flags : List.of("01", "00")) {
      Seen seen = call("traceparent: 00-" + TRACE + "-" + PARENT + "-" + flags, "tracestate: congo=t61rcWkgMzE");
      assertEquals(TRACE, seen.traceId(), seen.request());
      assertNotEquals(PARENT, seen.parentId(), "the gateway's span is the backend's parent");
      assertNotEquals("0000000000000000", seen.parentId());
      assertEquals(flags, seen.flags(), "the sampled flag is kept");
      assertEquals(List.of("congo=t61rcWkgMzE"), seen.tracestate(), "tracestate goes along with it");
    }
  }

  @Test
  void eachRequestIsANewSpanOfTheSameTrace() {
    Seen first = call("traceparent: 00-" + TRACE + "-" + PARENT + "-01");
    Seen second = call("traceparent: 00-" + TRACE + "-" + PARENT + "-01");
    assertEquals(first.traceId(), second.traceId());
    assertNotEquals(first.parentId(), second.parentId());
  }

  @Test
  void theAccessLogCarriesTheTraceId() {
    String path = call("traceparent: 00-" + TRACE + "-" + PARENT + "-01").path();
    assertTrue(accessLine(path).endsWith(" trace=" + TRACE), accessLine(path));
    Seen started = call();
    assertTrue(accessLine(started.path()).endsWith(" trace=" + started.traceId()), accessLine(started.path()));
  }

  @Test
  void withoutATraceparentANewTraceStartsAndATracestateAloneIsDropped() {
    Seen none = call();
    Seen alone = call("tracestate: congo=t61rcWkgMzE");
    for (Seen seen : List.of(none, alone)) {
      assertNotEquals("00000000000000000000000000000000", seen.traceId());
      assertNotEquals(TRACE, seen.traceId());
      assertEquals("01", seen.flags(), "the access log records the new trace");
      assertEquals(List.of(), seen.tracestate(), seen.request());
    }
    assertNotEquals(none.traceId(), alone.traceId(), "each its own trace");
  }

  @Test
  void aMalformedTraceparentStartsANewTraceAndDropsTracestate() {
    String[][] cases = {
        {"uppercase hex", "00-" + TRACE.toUpperCase() + "-" + PARENT + "-01"},
        {"uppercase parent id", "00-" + TRACE + "-" + PARENT.toUpperCase() + "-01"},
        {"uppercase flags", "00-" + TRACE + "-" + PARENT + "-0A"},
        {"all-zero trace id", "00-00000000000000000000000000000000-" + PARENT + "-01"},
        {"all-zero parent id", "00-" + TRACE + "-0000000000000000-01"},
        {"54 characters", "00-" + TRACE + "-" + PARENT + "-1"},
        {"56 characters", "00-" + TRACE + "-" + PARENT + "-011"},
        {"version 00 with more fields", "00-" + TRACE + "-" + PARENT + "-01-extra"},
        {"short trace id", "00-" + TRACE.substring(1) + "-" + PARENT + "0-01"},
        {"version ff", "ff-" + TRACE + "-" + PARENT + "-01"},
        {"version not hex", "0g-" + TRACE + "-" + PARENT + "-01"},
        {"flags not hex", "00-" + TRACE + "-" + PARENT + "-0x"},
        {"underscores", "00_" + TRACE + "_" + PARENT + "_01"},
        {"a higher version with junk after the flags", "cc-" + TRACE + "-" + PARENT + "-01x"},
        {"empty", ""},
    };
    for (String[] c : cases) {
      Seen seen = call("traceparent: " + c[1], "tracestate: congo=t61rcWkgMzE");
      assertNotEquals(TRACE, seen.traceId(), c[0]);
      assertNotEquals("00000000000000000000000000000000", seen.traceId(), c[0]);
      assertNotEquals(PARENT, seen.parentId(), c[0]);
      assertEquals(List.of(), seen.tracestate(), c[0] + ": no tracestate beside a traceparent that failed");
    }
  }

  @Test
  void twoTraceparentsAreAmbiguousAndStartANewTrace() {
    Seen seen = call("traceparent: 00-" + TRACE + "-" + PARENT + "-01",
        "traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "tracestate: a=1");
    assertNotEquals(TRACE, seen.traceId());
    assertNotEquals("4bf92f3577b34da6a3ce929d0e0e4736", seen.traceId());
    assertEquals(List.of(), seen.tracestate());
  }

  @Test
  void aHigherVersionIsReadAsVersion00AndPassedOnAsVersion00() {
    for (String value : List.of("cc-" + TRACE + "-" + PARENT + "-01", "cc-" + TRACE + "-" + PARENT + "-01-what-comes-next")) {
      Seen seen = call("traceparent: " + value, "tracestate: a=1");
      assertEquals(TRACE, seen.traceId(), value);
      assertEquals("01", seen.flags(), value);
      assertTrue(seen.request().contains("\r\ntraceparent: 00-" + TRACE + "-"), "sent as version 00: " + seen.request());
      assertEquals(List.of("a=1"), seen.tracestate());
    }
  }

  @Test
  void flagsThisVersionDoesNotDefineAreNotPassedOn() {
    assertEquals("01", call("traceparent: 00-" + TRACE + "-" + PARENT + "-ff").flags(), "§3.2.2.5: set to zero");
    assertEquals("00", call("traceparent: 00-" + TRACE + "-" + PARENT + "-02").flags());
  }

  @Test
  void tracestateSplitOverSeveralFieldsIsPassedOnAsOneList() {
    Seen seen = call("traceparent: 00-" + TRACE + "-" + PARENT + "-01", "tracestate: a=1,b=2", "tracestate: c=3");
    assertEquals(List.of("a=1,b=2,c=3"), seen.tracestate());
  }

  @Test
  void theCallersOwnTraceHeadersNeverReachTheBackendBesideTheGatewaysOwn() {
    Seen seen = call("traceparent: 00-" + TRACE + "-" + PARENT + "-01", "TraceParent: 00-" + TRACE + "-" + PARENT + "-01");
    assertEquals(1, headers(seen.request(), "traceparent").size(), seen.request());
  }

  @Test
  void overHttp2TheSameRulesHold() {
    String path = "/rec/h2-trace";
    RawHttp2.Answer answer = RawHttp2.get(tollgate.port(), "api.test", path,
        "traceparent", "00-" + TRACE + "-" + PARENT + "-01", "tracestate", "congo=t61rcWkgMzE");
    assertEquals(200, answer.status());
    Seen seen = seen(path);
    assertEquals(TRACE, seen.traceId());
    assertNotEquals(PARENT, seen.parentId());
    assertEquals(List.of("congo=t61rcWkgMzE"), seen.tracestate());

    RawHttp2.get(tollgate.port(), "api.test", path + "-bad", "traceparent", "00-" + TRACE.toUpperCase() + "-" + PARENT + "-01",
        "tracestate", "congo=t61rcWkgMzE");
    Seen bad = seen(path + "-bad");
    assertNotEquals(TRACE, bad.traceId());
    assertEquals(List.of(), bad.tracestate());
  }

  /** A GET to the recording backend with these header lines; what it received. */
  static Seen call(String... headerLines) {
    String path = "/rec/trace-" + ++requests;
    RawHttp.Answer answer = RawHttp.exchange(tollgate.port(), io.tollgate.RawRequests.request("GET", path, headerLines));
    assertEquals(200, answer.status(), answer.text());
    return seen(path);
  }

  static Seen seen(String path) {
    for (String request : recorder.received()) {
      if (request.startsWith("GET " + path + " ")) {
        List<String> parents = headers(request, "traceparent");
        assertEquals(1, parents.size(), request);
        Matcher sent = SENT.matcher(parents.get(0));
        assertTrue(sent.matches(), "a version 00 traceparent: " + request);
        return new Seen(path, sent.group(1), sent.group(2), sent.group(3), headers(request, "tracestate"), request);
      }
    }
    throw new AssertionError("the backend did not receive " + path);
  }

  static String accessLine(String path) {
    return accessLog.line(line -> line.contains(" " + path + " "), "for " + path);
  }

}
