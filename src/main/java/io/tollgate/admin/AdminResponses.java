package io.tollgate.admin;

import io.tollgate.oauth.OAuthError;
import io.tollgate.oauth.OAuthException;
import io.tollgate.oauth.OAuthResponses;
import io.tollgate.storage.Change;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Supplier;

/** Admin answers: JSON through the one renderer ({@code no-store}: some carry a secret), errors from the catalogue. */
final class AdminResponses {
  private AdminResponses() {}

  /** Runs a parse step, turning its refusal into a failed future. */
  static <T> Future<T> attempt(Supplier<T> step) {
    try {
      return Future.succeededFuture(step.get());
    } catch (OAuthException e) {
      return Future.failedFuture(e);
    }
  }

  /** A store's answer as the API's: not found is 404, a taken key is 409, each naming {@code what}. */
  static Future<Void> expect(Change change, String what) {
    return switch (change) {
      case DONE -> Future.succeededFuture();
      case NOT_FOUND -> Future.failedFuture(OAuthError.NOT_FOUND.because("there is no " + what));
      case CONFLICT -> Future.failedFuture(OAuthError.CONFLICT.because(what + " already exists"));
    };
  }

  /** A looked-up value, or 404 naming {@code what}. */
  static <T> Future<T> found(T value, String what) {
    return value != null ? Future.succeededFuture(value)
        : Future.failedFuture(OAuthError.NOT_FOUND.because("there is no " + what));
  }

  static void ok(RoutingContext ctx, JsonObject body) {
    OAuthResponses.json(ctx, 200, body);
  }

  static void created(RoutingContext ctx, String location, JsonObject body) {
    ctx.response().putHeader("Location", location);
    OAuthResponses.json(ctx, 201, body);
  }

  static void noContent(RoutingContext ctx) {
    if (!ctx.response().ended()) {
      ctx.response().setStatusCode(204).putHeader("Cache-Control", "no-store").end();
    }
  }

  /** Through the one renderer: catalogue errors as they are, anything else logged and translated. */
  static void error(RoutingContext ctx, Throwable failure) {
    OAuthResponses.error(ctx, failure);
  }

  /** The failure handler of the admin routes: also turns the body handler's 413 into our format. */
  static void routeFailure(RoutingContext ctx) {
    if (ctx.failure() != null) {
      error(ctx, ctx.failure());
    } else if (ctx.statusCode() == 413) {
      error(ctx, OAuthError.PAYLOAD_TOO_LARGE.because("the request body is too large"));
    } else {
      error(ctx, OAuthError.INVALID_REQUEST.because("the request could not be read"));
    }
  }
}
