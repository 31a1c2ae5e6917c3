package io.tollgate;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import java.util.function.Supplier;

/**
 * One event loop's request handler across reloads (README, "Reload"). Each request reads the live
 * {@link Routes} once, a single volatile read, and runs on them to its end; when a reload has
 * swapped them, this event loop builds its handler for the new ones and retires the old: those keep
 * their backend connections until the requests begun on them have ended (or, for an answer whose
 * caller vanished and so never ends, until the old configuration's longest route timeout plus the
 * shutdown grace have passed), then close them. Only its event loop uses it.
 */
final class LiveHandler implements Handler<HttpServerRequest> {
  private static final long RETIRE_CHECK_MILLIS = 1_000;

  private final Vertx vertx;
  private final Supplier<Routes> live;
  private final long graceMillis;
  private Routes built;
  private Routes.Loop loop;

  /** {@code live} must be a volatile read; {@code graceSeconds} is {@code http.shutdownGraceSeconds}. */
  LiveHandler(Vertx vertx, Supplier<Routes> live, int graceSeconds) {
    this.vertx = vertx;
    this.live = live;
    this.graceMillis = graceSeconds * 1000L;
    switchTo(live.get());
  }

  @Override
  public void handle(HttpServerRequest request) {
    Routes now = live.get();
    if (now != built) {
      switchTo(now);
    }
    loop.handle(request);
  }

  private void switchTo(Routes now) {
    Routes.Loop old = loop;
    built = now;
    loop = now.requestHandler(vertx);
    if (old != null) {
      retire(old, System.currentTimeMillis() + old.longestTimeoutMillis() + graceMillis);
    }
  }

  /** Closes {@code old} on this event loop once its requests have ended, or at {@code deadline}. */
  private void retire(Routes.Loop old, long deadline) {
    if (old.inFlight() <= 0 || System.currentTimeMillis() >= deadline) {
      old.close();
      return;
    }
    vertx.setTimer(RETIRE_CHECK_MILLIS, id -> retire(old, deadline));
  }
}
