package io.tollgate.oauth;

/**
 * What the access log and the metrics report about a gateway request, filled in as the gateway
 * learns it: the route, the client and the backend. Values only, never a token or secret.
 */
public final class RequestFacts {
  /** Where a router-handled request keeps its facts in the routing context. */
  public static final String KEY = "tollgate.requestFacts";

  private String route;
  private String clientId;
  private String backend;

  /** The gateway route's path prefix: a bounded metrics label; null when no route matched. */
  public String route() {
    return route;
  }

  public void route(String route) {
    this.route = route;
  }

  public String clientId() {
    return clientId;
  }

  public void clientId(String clientId) {
    this.clientId = clientId;
  }

  public String backend() {
    return backend;
  }

  public void backend(String backend) {
    this.backend = backend;
  }
}
