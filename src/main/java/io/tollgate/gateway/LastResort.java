package io.tollgate.gateway;

import io.tollgate.http.RequestFacts;
import io.tollgate.oauth.OAuthError;
import io.tollgate.oauth.OAuthResponses;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the gateway does with an exception nothing else expected: the caller gets a 500 at once
 * (RFC 9110 §15.6.1) rather than a connection that hangs until the idle timeout, and the log gets one
 * line naming the exception's class and where it was thrown, never its message or stack, which may
 * quote a claim or the token.
 */
final class LastResort {
  private static final Logger log = LoggerFactory.getLogger(LastResort.class);

  private LastResort() {}

  /** Runs one step of the gateway's work on {@code request}, answering 500 if it throws. */
  static void guard(HttpServerRequest request, Runnable step) {
    try {
      step.run();
    } catch (RuntimeException unexpected) {
      answer(request, unexpected);
    }
  }

  static void answer(HttpServerRequest request, RuntimeException unexpected) {
    StackTraceElement[] stack = unexpected.getStackTrace();
    log.error("gateway failed on {} {}: {} at {}", request.method().name(), RequestFacts.loggedPath(request.path()),
        unexpected.getClass().getName(), stack.length == 0 ? "?" : stack[0]);
    HttpServerResponse response = request.response();
    if (response.ended()) {
      return;
    }
    if (response.headWritten()) {
      request.connection().close(); // half an answer must not look complete
      return;
    }
    if (!request.isEnded()) {
      request.resume(); // the body is read and dropped
    }
    response.setStatusCode(500).putHeader("Content-Type", "application/json").end(OAuthResponses.errorBody(response,
        OAuthError.SERVER_ERROR.code(), "the gateway could not handle this request").encode());
  }
}
