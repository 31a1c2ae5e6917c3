package io.tollgate.oauth;

import io.netty.handler.codec.DecoderException;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.ConnectException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place where OAuth errors, and the JSON answers of every JSON endpoint, become HTTP responses. */
public final class OAuthResponses {
  private static final Logger log = LoggerFactory.getLogger(OAuthResponses.class);
  /** The request's id, on every response from its arrival on (http.RequestFacts) and in every error body. */
  public static final String REQUEST_ID = "X-Request-Id";

  private OAuthResponses() {}

  /**
   * An error body {@code {"error", "error_description", "request_id"}}: the id is the one the
   * response's {@code X-Request-Id} carries, so that a caller quoting either is found in the access log.
   */
  public static JsonObject errorBody(HttpServerResponse response, String code, String description) {
    JsonObject body = new JsonObject().put("error", code).put("error_description", description);
    String id = response.headers().get(REQUEST_ID);
    return id == null ? body : body.put("request_id", id);
  }

  public static void json(RoutingContext ctx, int status, JsonObject body) {
    HttpServerResponse response = ctx.response();
    if (response.ended()) {
      return;
    }
    response.setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store")
        .putHeader("Pragma", "no-cache")
        .end(body.encode());
  }

  /** The rate limit's answer (429 with Retry-After, set by the limiter); RFC 6749 has no code of its own for it. */
  public static void tooManyRequests(RoutingContext ctx, long retryAfterSeconds) {
    error(ctx, OAuthError.TOO_MANY_REQUESTS.because("too many requests; retry after " + retryAfterSeconds + " seconds"));
  }

  /**
   * The one renderer of errors in JSON, for the token service and the admin API: RFC 6749 §5.2;
   * anything that is not an OAuth error is logged and answered as a server error.
   */
  public static void error(RoutingContext ctx, Throwable failure) {
    OAuthException error = asOAuth(failure);
    if (error.basicChallenge()) {
      ctx.response().putHeader("WWW-Authenticate", "Basic realm=\"tollgate\", charset=\"UTF-8\"");
    }
    json(ctx, error.error().status(), errorBody(ctx.response(), error.error().code(), error.description()));
  }

  /** The failure as an OAuth error, logging those that are ours to fix or the database's. */
  public static OAuthException asOAuth(Throwable failure) {
    if (failure instanceof OAuthException oauth) {
      return oauth;
    }
    if (isUnavailable(failure)) {
      log.warn("storage unavailable: {}", failure.toString());
      return OAuthError.TEMPORARILY_UNAVAILABLE.because("the service is temporarily unavailable");
    }
    log.error("unexpected failure", failure);
    return OAuthError.SERVER_ERROR.because("unexpected server error");
  }

  private static boolean isUnavailable(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ConnectException || t instanceof ConnectionPoolTooBusyException
          || t instanceof TimeoutException || t instanceof ClosedConnectionException) {
        return true;
      }
    }
    return false;
  }

  /** The failure handler of token-service routes: also turns the body handler's 413 into our format. */
  public static void routeFailure(RoutingContext ctx) {
    if (ctx.failure() instanceof DecoderException) {
      // the HTTP/2 stream decodes forms as they arrive, and refuses a malformed one (%zz) itself
      error(ctx, OAuthError.INVALID_REQUEST.because("the body is not a valid form"));
    } else if (ctx.failure() != null) {
      error(ctx, ctx.failure());
    } else if (ctx.statusCode() == 413) {
      error(ctx, OAuthError.PAYLOAD_TOO_LARGE.because("the request body is too large"));
    } else if (ctx.statusCode() == 408) {
      error(ctx, OAuthError.REQUEST_TIMEOUT.because("the request did not arrive in time"));
    } else {
      error(ctx, OAuthError.INVALID_REQUEST.because("the request could not be read"));
    }
  }
}
