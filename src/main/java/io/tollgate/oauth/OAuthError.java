package io.tollgate.oauth;

/** The closed catalogue of RFC 6749 §4.1.2.1 and §5.2 error codes, each with its HTTP status. */
public enum OAuthError {
  INVALID_REQUEST("invalid_request", 400),
  INVALID_CLIENT("invalid_client", 401),
  INVALID_GRANT("invalid_grant", 400),
  UNAUTHORIZED_CLIENT("unauthorized_client", 400),
  UNSUPPORTED_GRANT_TYPE("unsupported_grant_type", 400),
  INVALID_SCOPE("invalid_scope", 400),
  ACCESS_DENIED("access_denied", 403),
  UNSUPPORTED_RESPONSE_TYPE("unsupported_response_type", 400),
  PAYLOAD_TOO_LARGE("invalid_request", 413),
  REQUEST_TIMEOUT("invalid_request", 408),
  SERVER_ERROR("server_error", 500),
  TEMPORARILY_UNAVAILABLE("temporarily_unavailable", 503);

  private final String code;
  private final int status;

  OAuthError(String code, int status) {
    this.code = code;
    this.status = status;
  }

  public String code() {
    return code;
  }

  public int status() {
    return status;
  }

  /** This error with a client-safe description, ready to fail a future with. */
  public OAuthException because(String description) {
    return new OAuthException(this, description, false);
  }
}
