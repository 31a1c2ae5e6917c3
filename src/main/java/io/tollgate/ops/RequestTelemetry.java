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
 * When a response ends, records the request's latency by route, method and status, and hands the
 * request to the access log (if one is configured): as the router's first handler, and for the
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
  private final ConcurrentHashMap<Key, Timer> timers = new ConcurrentHashMap<>();

  /** {@code accessLog} may be null (access log off). */
  public RequestTelemetry(MeterRegistry registry, AccessLog accessLog) {
    this.registry = registry;
    this.accessLog = accessLog;
  }

  /** For the router's requests: the label is the path of the endpoint that answered. */
  @Override
  public void handle(RoutingContext ctx) {
    long start = System.nanoTime();
    RequestFacts facts = new RequestFacts();
    ctx.put(RequestFacts.KEY, facts);
    ctx.addEndHandler(ended -> {
      Route current = ctx.currentRoute();
      record(ctx.request(), start, current != null && current.getPath() != null ? current.getPath() : "none",
          facts.clientId(), null);
    });
    ctx.next();
  }

  /** For the gateway's requests, when the response has ended. */
  public void ended(HttpServerRequest request, long start, RequestFacts facts) {
    record(request, start, facts.route() == null ? "none" : facts.route(), facts.clientId(), facts.backend());
  }

  private void record(HttpServerRequest request, long start, String route, String clientId, String backend) {
    long nanos = System.nanoTime() - start;
    Key key = new Key(route, request.method().name(), request.response().getStatusCode());
    timers.computeIfAbsent(key, this::timer).record(nanos, TimeUnit.NANOSECONDS);
    if (accessLog != null) {
      accessLog.write(request, nanos, clientId, backend);
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
