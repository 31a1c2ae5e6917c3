package io.tollgate.oauth;

/**
 * Keys under which handlers leave, in the routing context, what the access log reports about a
 * request: who the client was and which backend answered. Values only, never a token or secret.
 */
public final class RequestFacts {
  public static final String CLIENT_ID = "tollgate.clientId";
  public static final String BACKEND = "tollgate.backend";
  /** The gateway route's path prefix: a bounded metrics label. */
  public static final String ROUTE = "tollgate.route";

  private RequestFacts() {}
}
