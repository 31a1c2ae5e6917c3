package io.tollgate.http;

import static io.tollgate.RawRequests.headers;
import static io.tollgate.RawRequests.post;
import static io.tollgate.RawRequests.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tollgate.AccessLogCapture;
import io.tollgate.RawHttp;
import io.tollgate.RawHttp2;
import io.tollgate.RecordingBackend;
import io.tollgate.RefusingPort;
import io.tollgate.TestTollgate;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * README "Request ids and tracing", the request id: kept when well-formed, else generated; sent to
 * the backend, returned to the caller, written in the access log and in every JSON error body, over
 * HTTP/1.1 (raw sockets, so that nothing is tidied on the way) and over h2c. A real Tollgate and
 * PostgreSQL, a backend that records the bytes it receives, one that never answers, one that refuses.
 */
class RequestIdTest {
  static final Pattern GENERATED = Pattern.compile("[0-9a-f]{32}");
  static final String ADMIN_CLI = "admin-cli:admin-cli-secret";
  static AccessLogCapture accessLog;
  static RecordingBackend recorder;
  static Vertx silent;
  static RefusingPort dead;
  static TestTollgate tollgate;
  static String adminToken;

  @BeforeAll
  static void start() {
    recorder = new RecordingBackend();
    silent = Vertx.vertx();
    HttpServer never = silent.createHttpServer().requestHandler(req -> { }).listen(0, "127.0.0.1").await();
    dead = RefusingPort.take();
    JsonObject config = TestTollgate.config("requestid");
    config.put("routes", new JsonArray()
        .add(route("/rec/", recorder.url()).put("public", true))
        .add(route("/private/", recorder.url()))
        .add(route("/dead/", "http://127.0.0.1:" + dead.port()).put("public", true))
        .add(route("/slow/", "http://127.0.0.1:" + never.actualPort()).put("public", true).put("timeout", 300)));
    accessLog = AccessLogCapture.start();
    tollgate = TestTollgate.start(config);
    adminToken = TestTollgate.json(tollgate.postForm("/token", ADMIN_CLI, "grant_type", "password",
        "username", "admin@profix-it.nl", "password", "admin-password", "scope", "admin")).getString("access_token");
  }

  static JsonObject route(String path, String backend) {
    return new JsonObject().put("path", path).put("backends", new JsonArray().add(backend));
  }

  @AfterAll
  static void stop() {
    accessLog.close();
    tollgate.close();
    silent.close().await();
    recorder.close();
    dead.release();
  }

  @Test
  void anIdIsGeneratedWhenTheCallerSendsNoneAndGoesToTheBackendTheCallerAndTheLog() {
    RawHttp.Answer first = get("/rec/generated-1");
    RawHttp.Answer second = get("/rec/generated-2");
    assertEquals(200, first.status(), first.text());
    String id = only(headers(first.text(), "X-Request-Id"));
    assertTrue(GENERATED.matcher(id).matches(), id);
    assertNotEquals(id, only(headers(second.text(), "X-Request-Id")), "each request its own id");
    assertEquals(List.of(id), headers(backendSaw("/rec/generated-1"), "X-Request-Id"), "the backend got the same, once");
    assertTrue(accessLine("/rec/generated-1").contains(" id=" + id + " "), accessLine("/rec/generated-1"));
  }

  @Test
  void aWellFormedIdIsKept() {
    String longest = "a".repeat(64) + "B.-_9".repeat(12) + "z".repeat(4); // 128 characters
    int n = 0;
    for (String given : List.of("Abc-123_x.y", "7", longest)) {
      String path = "/rec/kept-" + n++;
      RawHttp.Answer answer = get(path, "X-Request-Id: " + given);
      assertEquals(200, answer.status(), answer.text());
      assertEquals(List.of(given), headers(answer.text(), "X-Request-Id"));
      assertEquals(List.of(given), headers(backendSaw(path), "X-Request-Id"), "the backend got it, once");
      assertTrue(accessLine(path).contains(" id=" + given + " "), accessLine(path));
    }
  }

  @Test
  void anIdThatCannotBeKeptIsReplacedAndNeverReachesTheBackend() {
    String[][] cases = {
        {"129 characters", "X-Request-Id: " + "a".repeat(129)},
        {"a space", "X-Request-Id: two words"},
        {"a slash", "X-Request-Id: a/b"},
        {"a colon", "X-Request-Id: a:b"},
        {"non-ASCII", "X-Request-Id: caf\u00e9"},
        {"empty", "X-Request-Id: "},
        {"sent twice", "X-Request-Id: first\r\nX-Request-Id: second"},
    };
    int n = 0;
    for (String[] c : cases) {
      String path = "/rec/replaced-" + n++;
      RawHttp.Answer answer = get(path, c[1]);
      assertEquals(200, answer.status(), c[0] + ": " + answer.text());
      String id = only(headers(answer.text(), "X-Request-Id"));
      assertTrue(GENERATED.matcher(id).matches(), c[0] + ": " + id);
      assertEquals(List.of(id), headers(backendSaw(path), "X-Request-Id"), c[0] + ": the backend got the new one only");
      assertTrue(accessLine(path).contains(" id=" + id + " "), c[0] + ": " + accessLine(path));
    }
  }

  @Test
  void aCrlfInjectionAttemptGetsANewIdAndNoForgedHeader() {
    // a bare CR in the value, over HTTP/1.1: whatever the decoder makes of it, nothing it carries is echoed
    RawHttp.Answer raw = get("/rec/crlf-1", "X-Request-Id: abc\rX-Evil: 1");
    assertTrue(headers(raw.text(), "X-Evil").isEmpty(), raw.text());
    assertFalse(raw.text().contains("abc"), raw.text());
    // CR LF inside the value, over HTTP/2, where HPACK carries it literally: to a service path...
    RawHttp2.Answer health = RawHttp2.get(tollgate.port(), "api.test", "/health", "x-request-id", "abc\r\nx-evil: 1");
    assertEquals(200, health.status());
    assertTrue(GENERATED.matcher(health.header("x-request-id")).matches(), health.headers().toString());
    assertEquals(null, health.header("x-evil"));
    // ... and to the gateway, which refuses the field (400) with a new id in header and body
    RawHttp2.Answer gateway = RawHttp2.get(tollgate.port(), "api.test", "/rec/crlf-2", "x-request-id", "abc\r\nx-evil: 1");
    assertEquals(400, gateway.status(), gateway.body());
    String id = gateway.header("x-request-id");
    assertTrue(GENERATED.matcher(id).matches(), gateway.headers().toString());
    assertEquals(id, new JsonObject(gateway.body()).getString("request_id"));
    assertEquals(null, gateway.header("x-evil"));
  }

  @Test
  void everyJsonErrorBodyCarriesTheRequestId() {
    String basicWrong = "Authorization: Basic " + Base64.getEncoder().encodeToString("s6BhdRkqt3:wrong".getBytes());
    String form = "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 29";
    Object[][] cases = {
        // what, status, error code, request
        {"token endpoint invalid_client", 401, "invalid_client",
            post("/token", "grant_type=client_credentials", basicWrong, form, "X-Request-Id: e-token")},
        {"token endpoint method", 405, "invalid_request", request("GET", "/token", "X-Request-Id: e-405")},
        {"gateway 401", 401, "invalid_token", request("GET", "/private/x", "X-Request-Id: e-401")},
        {"gateway bad token 401", 401, "invalid_token",
            request("GET", "/private/x", "Authorization: Bearer not.a.jwt", "X-Request-Id: e-401b")},
        {"no route 404", 404, "not_found", request("GET", "/nowhere/x", "X-Request-Id: e-404")},
        {"no backend 502", 502, "bad_gateway", request("GET", "/dead/x", "X-Request-Id: e-502")},
        {"backend silent 504", 504, "gateway_timeout", request("GET", "/slow/x", "X-Request-Id: e-504")},
        {"admin 401", 401, "invalid_token", request("GET", "/admin/clients", "X-Request-Id: e-admin-401")},
        {"admin 404", 404, "not_found",
            request("GET", "/admin/nothing", "Authorization: Bearer " + adminToken, "X-Request-Id: e-admin-404")},
        {"request-target 400", 400, "invalid_request", request("GET", "/rec/a/../b", "X-Request-Id: e-target")},
        {"service path 404", 404, "not_found", request("GET", "/.well-known/nothing", "X-Request-Id: e-service")},
    };
    for (Object[] c : cases) {
      RawHttp.Answer answer = RawHttp.exchange(tollgate.port(), (String) c[3]);
      String sent = ((String) c[3]).replaceAll("(?s).*X-Request-Id: ([^\r]*)\r.*", "$1");
      assertEquals(c[1], answer.status(), c[0] + ": " + answer.text());
      JsonObject body = new JsonObject(answer.body());
      assertEquals(c[2], body.getString("error"), c[0] + ": " + body);
      assertEquals(sent, body.getString("request_id"), c[0] + ": " + body);
      assertEquals(List.of(sent), headers(answer.text(), "X-Request-Id"), (String) c[0]);
    }
  }

  @Test
  void theChangePasswordEndpointsOwnErrorFormatCarriesItToo() {
    RawHttp.Answer answer = RawHttp.exchange(tollgate.port(), post("/token/ChangePassword", "x=1",
        "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 3", "X-Request-Id: e-change"));
    assertEquals(400, answer.status(), answer.text());
    JsonObject body = new JsonObject(answer.body());
    assertEquals(false, body.getBoolean("success"), body.encode());
    assertEquals("e-change", body.getString("request_id"), body.encode());
  }

  @Test
  void theFramingGuardsRefusalHasAGeneratedIdInHeaderAndBody() {
    RawHttp.Answer answer = RawHttp.exchange(tollgate.port(), "POST /rec/smuggle HTTP/1.1\r\nHost: api.test\r\n"
        + "X-Request-Id: mine\r\nTransfer-Encoding: chunked\r\n\r\n5 junk\r\nhello\r\n0\r\n\r\n");
    assertEquals(400, answer.status(), answer.text());
    String id = only(headers(answer.text(), "X-Request-Id"));
    assertTrue(GENERATED.matcher(id).matches(), id);
    assertEquals(id, new JsonObject(answer.body()).getString("request_id"));
    assertEquals("malformed message framing", new JsonObject(answer.body()).getString("error_description"));
  }

  @Test
  void theLoginPageSendsTheHeader() {
    RawHttp.Answer answer = get("/oauth2/authorize?response_type=code&client_id=nobody", "X-Request-Id: page-1");
    assertTrue(answer.text().toLowerCase(Locale.ROOT).contains("content-type: text/html"), answer.text());
    assertEquals(List.of("page-1"), headers(answer.text(), "X-Request-Id"));
  }

  @Test
  void overHttp2TheSameRulesHold() {
    RawHttp2.Answer kept = RawHttp2.get(tollgate.port(), "api.test", "/rec/h2-kept", "x-request-id", "h2-id.1");
    assertEquals(200, kept.status());
    assertEquals("h2-id.1", kept.header("x-request-id"));
    assertEquals(List.of("h2-id.1"), headers(backendSaw("/rec/h2-kept"), "X-Request-Id"));
    assertTrue(accessLine("/rec/h2-kept").contains(" id=h2-id.1 "), accessLine("/rec/h2-kept"));

    RawHttp2.Answer replaced = RawHttp2.get(tollgate.port(), "api.test", "/rec/h2-long", "x-request-id", "b".repeat(129));
    String id = replaced.header("x-request-id");
    assertTrue(GENERATED.matcher(id).matches(), id);
    assertEquals(List.of(id), headers(backendSaw("/rec/h2-long"), "X-Request-Id"));

    RawHttp2.Answer generated = RawHttp2.get(tollgate.port(), "api.test", "/rec/h2-none");
    assertTrue(GENERATED.matcher(generated.header("x-request-id")).matches(), generated.headers().toString());

    for (String[] c : new String[][] {{"/nowhere/h2", "404"}, {"/private/h2", "401"}, {"/dead/h2", "502"},
        {"/slow/h2", "504"}, {"/admin/clients", "401"}, {"/token", "405"}}) {
      RawHttp2.Answer error = RawHttp2.get(tollgate.port(), "api.test", c[0], "x-request-id", "h2" + c[1]);
      assertEquals(Integer.parseInt(c[1]), error.status(), c[0] + ": " + error.body());
      assertEquals("h2" + c[1], error.header("x-request-id"), c[0]);
      assertEquals("h2" + c[1], new JsonObject(error.body()).getString("request_id"), c[0] + ": " + error.body());
    }
  }

  @Test
  void theTokenServiceLogsTheIdToo() {
    RawHttp.Answer answer = RawHttp.exchange(tollgate.port(), post("/token", "grant_type=client_credentials",
        "Authorization: Basic " + Base64.getEncoder().encodeToString("s6BhdRkqt3:gX1fBat3bV".getBytes()),
        "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 29", "X-Request-Id: token-ok-1"));
    assertEquals(200, answer.status(), answer.text());
    assertEquals(List.of("token-ok-1"), headers(answer.text(), "X-Request-Id"));
    String line = logLine(" id=token-ok-1 ");
    assertTrue(line.startsWith("POST ") && line.contains(" /token 200 "), line);
  }

  static RawHttp.Answer get(String path, String... headerLines) {
    return RawHttp.exchange(tollgate.port(), request("GET", path, headerLines));
  }

  static String only(List<String> values) {
    assertEquals(1, values.size(), values.toString());
    return values.get(0);
  }

  /** The raw request the recording backend received for {@code path}. */
  static String backendSaw(String path) {
    Set<String> lines = new HashSet<>();
    for (String request : recorder.received()) {
      String line = request.substring(0, request.indexOf("\r\n"));
      lines.add(line);
      if (line.startsWith("GET " + path + " ")) {
        return request;
      }
    }
    throw new AssertionError("the backend did not receive " + path + ", only " + lines);
  }

  /** The access log line of {@code path}: written when the response has ended, so maybe a moment later. */
  static String accessLine(String path) {
    return logLine(" " + path + " ");
  }

  static String logLine(String needle) {
    return accessLog.line(line -> line.contains(needle), "with " + needle);
  }

}
