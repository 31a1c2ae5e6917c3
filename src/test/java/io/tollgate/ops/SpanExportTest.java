package io.tollgate.ops;

import static io.tollgate.RawRequests.headers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.tollgate.AccessLogCapture;
import io.tollgate.RawHttp;
import io.tollgate.RecordingBackend;
import io.tollgate.TestTollgate;
import io.tollgate.RawRequests;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * README "Request ids and tracing", OTLP export: a collector the test runs (a Vert.x server on
 * {@code /v1/traces}, decoding OTLP/HTTP protobuf with the project's own message classes) receives
 * one server span per gateway request and per token-service request, with the caller's trace id and
 * parent, the span id the backend was given as its parent, and the request id; the access log, in
 * JSON here, has the same ids. The caller's unsampled traces are not exported.
 */
class SpanExportTest {
  static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  static final String PARENT = "00f067aa0ba902b7";
  static final Pattern SENT = Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-(0[01])");
  static AccessLogCapture accessLog;
  /** Each received span with its resource's service.name. */
  record Received(String service, Span span) {}

  static final List<Received> received = new CopyOnWriteArrayList<>();
  static final List<String> contentTypes = new CopyOnWriteArrayList<>();
  static Vertx collectorVertx;
  static RecordingBackend recorder;
  static TestTollgate tollgate;
  static String endpoint;

  @BeforeAll
  static void start() {
    collectorVertx = Vertx.vertx();
    HttpServer collector = collectorVertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      if (!req.path().equals("/v1/traces")) {
        req.response().setStatusCode(404).end();
        return;
      }
      contentTypes.add(req.getHeader("Content-Type"));
      try {
        for (ResourceSpans resource : ExportTraceServiceRequest.parseFrom(body.getBytes()).getResourceSpansList()) {
          String service = attribute(resource.getResource(), "service.name");
          for (ScopeSpans scope : resource.getScopeSpansList()) {
            scope.getSpansList().forEach(span -> received.add(new Received(service, span)));
          }
        }
        req.response().putHeader("Content-Type", "application/x-protobuf").end();
      } catch (Exception e) {
        req.response().setStatusCode(400).end();
      }
    })).listen(0, "127.0.0.1").await();
    recorder = new RecordingBackend();
    JsonObject config = TestTollgate.config("spanexport");
    config.put("routes", new JsonArray().add(new JsonObject().put("path", "/rec/")
        .put("backends", new JsonArray().add(recorder.url())).put("scopes", new JsonArray().add("profile"))));
    endpoint = "http://127.0.0.1:" + collector.actualPort() + "/v1/traces";
    config.put("tracing", new JsonObject().put("serviceName", "tollgate-under-test")
        .put("otlp", new JsonObject().put("endpoint", endpoint)));
    config.put("accessLog", new JsonObject().put("format", "json"));
    accessLog = AccessLogCapture.start();
    tollgate = TestTollgate.start(config);
  }

  @AfterAll
  static void stop() {
    accessLog.close();
    tollgate.close();
    recorder.close();
    collectorVertx.close().await();
  }

  @Test
  void aGatewayCallAndATokenRequestAreExportedAsSpansOfTheirTraces() throws Exception {
    // a token request that starts its trace here, and one that continues the caller's
    RawHttp.Answer token = RawHttp.exchange(tollgate.port(), tokenRequest("span-token-1"));
    assertEquals(200, token.status(), token.text());
    String accessToken = new JsonObject(token.body()).getString("access_token");
    RawHttp.Answer continued = RawHttp.exchange(tollgate.port(), tokenRequest("span-token-2",
        "traceparent: 00-" + TRACE + "-" + PARENT + "-01"));
    assertEquals(200, continued.status());
    // an unsampled call first: its span is not recorded, so it is never exported
    String unsampledTrace = "5bf92f3577b34da6a3ce929d0e0e4736";
    assertEquals(200, gateway("/rec/unsampled", accessToken, "span-gw-0", "00-" + unsampledTrace + "-" + PARENT + "-00").status());
    assertEquals("00", traceparentSeen("/rec/unsampled").group(3), "the caller's decision goes to the backend");
    RawHttp.Answer call = gateway("/rec/traced", accessToken, "span-gw-1", "00-" + TRACE + "-" + PARENT + "-01");
    assertEquals(200, call.status(), call.text());
    Matcher sent = traceparentSeen("/rec/traced");

    Span gatewaySpan = awaitSpan("span-gw-1");
    assertEquals(TRACE, hex(gatewaySpan.getTraceId().toByteArray()));
    assertEquals(PARENT, hex(gatewaySpan.getParentSpanId().toByteArray()), "a child of the caller's span");
    assertEquals(TRACE, sent.group(1));
    assertEquals(sent.group(2), hex(gatewaySpan.getSpanId().toByteArray()), "the backend's parent is this span");
    assertEquals(Span.SpanKind.SPAN_KIND_SERVER, gatewaySpan.getKind());
    assertEquals("GET /rec/", gatewaySpan.getName());
    Map<String, String> attributes = attributes(gatewaySpan);
    assertEquals("200", attributes.get("http.response.status_code"), attributes.toString());
    assertEquals("/rec/traced", attributes.get("url.path"));
    assertEquals("s6BhdRkqt3", attributes.get("tollgate.client_id"));
    assertEquals(recorder.url(), attributes.get("tollgate.backend"));
    assertTrue(gatewaySpan.getEndTimeUnixNano() >= gatewaySpan.getStartTimeUnixNano());

    Span tokenSpan = awaitSpan("span-token-1");
    assertEquals("POST /token", tokenSpan.getName());
    assertEquals(0, tokenSpan.getParentSpanId().size(), "a trace that started here has no parent");
    JsonObject logged = jsonAccessLine("span-token-1");
    assertEquals(hex(tokenSpan.getTraceId().toByteArray()), logged.getString("trace_id"), "the access log's trace id");
    assertEquals("/token", logged.getString("path"));
    Span continuedSpan = awaitSpan("span-token-2");
    assertEquals(TRACE, hex(continuedSpan.getTraceId().toByteArray()));
    assertEquals(PARENT, hex(continuedSpan.getParentSpanId().toByteArray()));

    JsonObject gatewayLine = jsonAccessLine("span-gw-1");
    assertEquals(TRACE, gatewayLine.getString("trace_id"));
    assertEquals("/rec/traced", gatewayLine.getString("path"));
    for (Received span : received) {
      assertNotEquals(unsampledTrace, hex(span.span().getTraceId().toByteArray()), "the unsampled call was not exported");
      if (attributes(span.span()).get("tollgate.request_id").startsWith("span-gw-")) {
        assertEquals("tollgate-under-test", span.service());
      }
    }
    assertTrue(contentTypes.stream().allMatch("application/x-protobuf"::equals), contentTypes.toString());
  }

  @Test
  void theSpansQueuedWhenTollgateStopsAreSentBeforeTheStopEnds() throws Exception {
    JsonObject config = TestTollgate.config("spanflush");
    config.put("tracing", new JsonObject().put("otlp", new JsonObject().put("endpoint", endpoint)));
    TestTollgate stopping = TestTollgate.start(config);
    RawHttp.Answer answer = RawHttp.exchange(stopping.port(), RawRequests.request("GET", "/health", "X-Request-Id: span-at-stop"));
    assertEquals(200, answer.status());
    stopping.close(); // well within the batch processor's 5 s delay
    assertTrue(received.stream().anyMatch(span -> "span-at-stop".equals(attributes(span.span()).get("tollgate.request_id"))),
        "exported by the stop, not later");
    assertEquals("tollgate", received.stream().filter(span -> "span-at-stop".equals(attributes(span.span())
        .get("tollgate.request_id"))).findFirst().orElseThrow().service(), "the default service.name");
  }

  static String tokenRequest(String id, String... extra) {
    List<String> lines = new ArrayList<>(List.of(
        "Authorization: Basic " + Base64.getEncoder().encodeToString("s6BhdRkqt3:gX1fBat3bV".getBytes()),
        "Content-Type: application/x-www-form-urlencoded", "Content-Length: 29", "X-Request-Id: " + id));
    lines.addAll(List.of(extra));
    return RawRequests.post("/token", "grant_type=client_credentials", lines.toArray(String[]::new));
  }

  static RawHttp.Answer gateway(String path, String token, String id, String traceparent) {
    return RawHttp.exchange(tollgate.port(), RawRequests.request("GET", path, "Authorization: Bearer " + token,
        "X-Request-Id: " + id, "traceparent: " + traceparent));
  }

  static Matcher traceparentSeen(String path) {
    for (String request : recorder.received()) {
      if (request.startsWith("GET " + path + " ")) {
        Matcher sent = SENT.matcher(headers(request, "traceparent").get(0));
        assertTrue(sent.matches(), request);
        return sent;
      }
    }
    throw new AssertionError("the backend did not receive " + path);
  }

  /** The span whose tollgate.request_id is {@code id}; the batch processor sends every few seconds. */
  static Span awaitSpan(String id) throws InterruptedException {
    for (int i = 0; i < 300; i++) {
      for (Received span : received) {
        if (id.equals(attributes(span.span()).get("tollgate.request_id"))) {
          return span.span();
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no span for request " + id + " in " + received.size() + " received");
  }

  static JsonObject jsonAccessLine(String id) {
    return new JsonObject(accessLog.line(line -> id.equals(new JsonObject(line).getString("request_id")), "for " + id));
  }


  static Map<String, String> attributes(Span span) {
    Map<String, String> values = new java.util.HashMap<>();
    for (KeyValue attribute : span.getAttributesList()) {
      values.put(attribute.getKey(), attribute.getValue().hasIntValue()
          ? Long.toString(attribute.getValue().getIntValue()) : attribute.getValue().getStringValue());
    }
    return values;
  }

  static String attribute(Resource resource, String key) {
    return resource.getAttributesList().stream().filter(a -> a.getKey().equals(key))
        .map(a -> a.getValue().getStringValue()).findFirst().orElse(null);
  }

  static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
