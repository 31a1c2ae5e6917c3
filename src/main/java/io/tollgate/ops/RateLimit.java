package io.tollgate.ops;

import io.tollgate.config.TollgateConfig;
import io.tollgate.oauth.BasicCredentials;
import io.tollgate.oauth.Form;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.function.BiConsumer;

/**
 * Rate limits for the endpoints that cost a password hash or a database round trip, per source
 * address and per client (RFC 9700 §4.15 / OWASP: a password-spraying client must not exhaust the
 * hash workers). Over the limit: {@code 429} with {@code Retry-After}, rendered by the endpoint's own format.
 */
public final class RateLimit implements AutoCloseable {
  private static final long SWEEP_MILLIS = 60_000;

  private final RateLimiter addresses;
  private final RateLimiter clients;
  private final boolean trustForwardedFor;
  private final Vertx vertx;
  private final long sweeping;

  private RateLimit(Vertx vertx, TollgateConfig.RateLimit config) {
    this.addresses = new RateLimiter(config.perAddressPerMinute());
    this.clients = new RateLimiter(config.perClientPerMinute());
    this.trustForwardedFor = config.trustForwardedFor();
    this.vertx = vertx;
    this.sweeping = vertx.setPeriodic(SWEEP_MILLIS, id -> {
      addresses.sweep();
      clients.sweep();
    });
  }

  /** One per process, shared by every event loop; null when rate limiting is off. Sweeps until {@link #close()}. */
  public static RateLimit create(Vertx vertx, TollgateConfig.RateLimit config) {
    return config.enabled() ? new RateLimit(vertx, config) : null;
  }

  /** Stops the sweep it started. */
  @Override
  public void close() {
    vertx.cancelTimer(sweeping);
  }

  /** The sweep's timer, for the test that close cancels it. */
  long sweepTimer() {
    return sweeping;
  }

  /** A handler, after the body handler, that answers 429 through {@code tooMany(ctx, retryAfterSeconds)}. */
  public Handler<RoutingContext> handler(BiConsumer<RoutingContext, Long> tooMany) {
    return ctx -> {
      long wait = addresses.acquire(address(ctx.request()));
      String client = wait == 0 ? clientId(ctx) : null;
      if (client != null) {
        wait = clients.acquire(client);
      }
      if (wait > 0) {
        ctx.response().setStatusCode(429).putHeader("Retry-After", Long.toString(wait));
        tooMany.accept(ctx, wait);
      } else {
        ctx.next();
      }
    };
  }

  /** Behind a load balancer that appends to X-Forwarded-For, its last entry is the caller. */
  private String address(HttpServerRequest request) {
    if (trustForwardedFor) {
      String forwarded = request.getHeader("X-Forwarded-For");
      if (forwarded != null && !forwarded.isBlank()) {
        return forwarded.substring(forwarded.lastIndexOf(',') + 1).trim();
      }
    }
    return request.remoteAddress() == null ? "-" : request.remoteAddress().hostAddress();
  }

  /** The client id the request claims (Basic user or form {@code client_id}), decoded, or null. */
  private static String clientId(RoutingContext ctx) {
    try {
      BasicCredentials basic = BasicCredentials.parse(ctx.request().getHeader("Authorization"));
      if (basic != null) {
        return basic.clientId();
      }
      Buffer body = ctx.body().buffer();
      return body == null || body.length() == 0 ? null : Form.parse(body).get("client_id");
    } catch (RuntimeException malformed) {
      return null; // the endpoint says what is wrong with it
    }
  }
}
