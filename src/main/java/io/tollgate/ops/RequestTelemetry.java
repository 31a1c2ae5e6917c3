package io.tollgate.ops;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tollgate.http.RequestFacts;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * When a request arrives, gives it its facts (id and trace context) and, when spans are exported,
 * its span; when its response ends, records its latency by route, method and status, hands it to the
 * access log (if one is configured) and ends the span: as the router's first handler, and for the
 * gateway's requests, which do not pass the router.
 */
public final class RequestTelemetry implements Handler<RoutingContext> {
  private static final Duration[] BUCKETS = {
      Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
      Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
      Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5),
      Duration.ofSeconds(10), Duration.ofSeconds(30)};

  private record Key(String route, String method, int status) {}

  private final MeterRegistry registry;
  private final AccessLog accessLog;
  private final Spans spans;
  private final ConcurrentHashMap<Key, Timer> timers = new ConcurrentHashMap<>();

  /** {@code accessLog} may be null (access log off), {@code spans} too (no OTLP export: no span is made at all). */
  public RequestTelemetry(MeterRegistry registry, AccessLog accessLog, Spans spans) {
    this.registry = registry;
    this.accessLog = accessLog;
    this.spans = spans;
  }

  /** A request that has just arrived: its facts, put on its response first, and its span when spans are exported. */
  public RequestFacts begin(HttpServerRequest request) {
    RequestFacts facts = RequestFacts.begin(request);
    if (spans != null) {
      spans.start(request, facts);
    }
    return facts;
  }

  /** For the router's requests: the label is the path of the endpoint that answered. */
  @Override
  public void handle(RoutingContext ctx) {
    long start = System.nanoTime();
    RequestFacts facts = begin(ctx.request());
    ctx.put(RequestFacts.KEY, facts);
    ctx.addEndHandler(ended -> {
      Route current = ctx.currentRoute();
      record(ctx.request(), start, current != null && current.getPath() != null ? current.getPath() : "none", facts);
    });
    ctx.next();
  }

  /** For the gateway's requests, when the response has ended. */
  public void ended(HttpServerRequest request, long start, RequestFacts facts) {
    record(request, start, facts.route() == null ? "none" : facts.route(), facts);
  }

  private void record(HttpServerRequest request, long start, String route, RequestFacts facts) {
    long nanos = System.nanoTime() - start;
    Key key = new Key(route, request.method().name(), request.response().getStatusCode());
    timers.computeIfAbsent(key, this::timer).record(nanos, TimeUnit.NANOSECONDS);
    if (accessLog != null) {
      accessLog.write(request, nanos, facts);
    }
    if (spans != null) {
      spans.end(request, route, facts);
    }
  }

  private Timer timer(Key key) {
    return Timer.builder("tollgate.http.requests")
        .description("HTTP requests by route (gateway prefix or endpoint path), method and status")
        .tag("route", key.route()).tag("method", key.method()).tag("status", Integer.toString(key.status()))
        .serviceLevelObjectives(BUCKETS)
        .register(registry);
  }
}
