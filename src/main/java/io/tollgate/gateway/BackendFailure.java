package io.tollgate.gateway;

import io.tollgate.http.RequestFacts;
import io.tollgate.oauth.OAuthResponses;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CONTRACT §6: a backend refused or unreachable is a 502, no answer within the route's timeout a 504,
 * both JSON, both logged and counted; an answer already begun cannot be replaced, so its caller's
 * connection is closed instead (half an answer must not look complete).
 */
final class BackendFailure {
  private static final Logger log = LoggerFactory.getLogger(BackendFailure.class);

  private BackendFailure() {}

  static void answer(HttpServerRequest request, GatewayRoute route, Throwable failure, RequestFacts facts,
      GatewayMetrics metrics) {
    HttpServerResponse response = request.response();
    if (response.headWritten()) {
      request.connection().close();
      return;
    }
    boolean timeout = isTimeout(failure);
    int status = timeout ? 504 : 502;
    metrics.backendError(facts.backend() == null ? "-" : facts.backend(), status);
    log.warn("backend failed for route {}: {} ({})", route.config.path(), status, failure.getClass().getSimpleName());
    if (!request.isEnded()) {
      request.resume(); // the body that was never sent is read and dropped
    }
    response.setStatusCode(status).putHeader("Content-Type", "application/json")
        .end(OAuthResponses.errorBody(response, timeout ? "gateway_timeout" : "bad_gateway",
            timeout ? "the backend did not answer in time" : "the backend is unreachable").encode());
  }

  private static boolean isTimeout(Throwable failure) {
    return failure instanceof TimeoutException || failure.getCause() instanceof TimeoutException
        || failure instanceof io.netty.channel.ConnectTimeoutException
        || failure instanceof io.netty.handler.timeout.TimeoutException;
  }
}
