package io.tollgate.gateway;

import io.tollgate.http.RequestFacts;
import io.tollgate.tokens.AccessToken;
import io.vertx.core.http.HttpServerRequest;

/**
 * The last step of the gateway: the request, checked, goes to one of the route's backends and the
 * answer back. Two implementations with the same behaviour, chosen by {@code TOLLGATE_PROXY}
 * (README, "Configuration reference"): Vert.x's HttpClient ({@link Forwarder}) and Netty channels
 * on the caller's event loop ({@link NettyForwarder}).
 */
interface Proxy {
  /** {@code token} is null on a public route; {@code target} is the canonical one the route was matched on. */
  void forward(HttpServerRequest request, String target, GatewayRoute route, AccessToken token, RequestFacts facts);

  /** Closes this event loop's backend connections: only once no request uses them any more. */
  void close();
}
