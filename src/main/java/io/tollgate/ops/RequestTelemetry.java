package io.tollgate.ops;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tollgate.oauth.RequestFacts;
import io.vertx.core.Handler;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The first handler of every request: when the response ends it records the request's latency by
 * route, method and status, and hands the request to the access log (if one is configured).
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

  @Override
  public void handle(RoutingContext ctx) {
    long start = System.nanoTime();
    ctx.addEndHandler(ended -> {
      long nanos = System.nanoTime() - start;
      Key key = new Key(route(ctx), ctx.request().method().name(), ctx.response().getStatusCode());
      timers.computeIfAbsent(key, this::timer).record(nanos, TimeUnit.NANOSECONDS);
      if (accessLog != null) {
        accessLog.write(ctx, nanos);
      }
    });
    ctx.next();
  }

  /** A bounded label: the gateway route's prefix, or the path of the endpoint that answered. */
  private static String route(RoutingContext ctx) {
    String gatewayRoute = ctx.get(RequestFacts.ROUTE);
    if (gatewayRoute != null) {
      return gatewayRoute;
    }
    Route current = ctx.currentRoute();
    return current != null && current.getPath() != null ? current.getPath() : "none";
  }

  private Timer timer(Key key) {
    return Timer.builder("tollgate.http.requests")
        .description("HTTP requests by route (gateway prefix or endpoint path), method and status")
        .tag("route", key.route()).tag("method", key.method()).tag("status", Integer.toString(key.status()))
        .serviceLevelObjectives(BUCKETS)
        .register(registry);
  }
}
