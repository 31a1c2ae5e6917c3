package io.tollgate.http;

import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;
import io.vertx.ext.web.handler.TimeoutHandler;

/**
 * A request (body included) that takes longer than the limit ends with {@code 408}: a slow body
 * (slowloris) cannot hold a connection and a body buffer. An HTTP/1.x connection whose request never
 * finished arriving is closed after the answer, since nothing more on it can be read sanely.
 */
public final class RequestTimeout implements PlatformHandler {
  private final TimeoutHandler timeout;

  public RequestTimeout(long millis) {
    this.timeout = TimeoutHandler.create(millis, 408);
  }

  @Override
  public void handle(RoutingContext ctx) {
    ctx.addEndHandler(ended -> {
      if (!ctx.request().isEnded() && ctx.request().version() != HttpVersion.HTTP_2) {
        ctx.request().connection().close();
      }
    });
    timeout.handle(ctx);
  }
}
