package io.tollgate.http;

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

  /**
   * A request path as it may be written to a log: cut at the first path parameter ({@code ;}) or
   * fragment, which like the query may carry credentials ({@code ;jsessionid=}, {@code ;_bearer_token=}),
   * and with control characters shown as {@code ?} so that a caller cannot forge log lines.
   */
  public static String loggedPath(String path) {
    if (path == null) {
      return "-";
    }
    int end = path.length();
    boolean clean = true;
    for (int i = 0; i < end; i++) {
      char c = path.charAt(i);
      if (c == ';' || c == '#') {
        end = i;
      } else if (c < 0x20 || c == 0x7f) {
        clean = false;
      }
    }
    if (clean) {
      return end == path.length() ? path : path.substring(0, end);
    }
    StringBuilder out = new StringBuilder(end);
    for (int i = 0; i < end; i++) {
      char c = path.charAt(i);
      out.append(c < 0x20 || c == 0x7f ? '?' : c);
    }
    return out.toString();
  }
}
