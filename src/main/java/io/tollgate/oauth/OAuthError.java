package io.tollgate.oauth;

/**
 * The closed catalogue of every error Tollgate answers with {@code {"error", "error_description"}}:
 * the RFC 6749 §4.1.2.1 and §5.2 codes, the RFC 6750 §3.1 ones of Bearer-protected APIs, and the
 * HTTP-level refusals that have no RFC code; each with its HTTP status. {@link OAuthResponses#errorBody}
 * is the one place that writes the body.
 */
public enum OAuthError {
  INVALID_REQUEST("invalid_request", 400),
  INVALID_CLIENT("invalid_client", 401),
  INVALID_GRANT("invalid_grant", 400),
  UNAUTHORIZED_CLIENT("unauthorized_client", 400),
  UNSUPPORTED_GRANT_TYPE("unsupported_grant_type", 400),
  INVALID_SCOPE("invalid_scope", 400),
  ACCESS_DENIED("access_denied", 403),
  UNSUPPORTED_RESPONSE_TYPE("unsupported_response_type", 400),
  SERVER_ERROR("server_error", 500),
  TEMPORARILY_UNAVAILABLE("temporarily_unavailable", 503),
  // RFC 6750 §3.1: the admin API is a Bearer-protected resource
  INVALID_TOKEN("invalid_token", 401),
  INSUFFICIENT_SCOPE("insufficient_scope", 403),
  // HTTP refusals without an RFC 6749 code of their own
  NOT_FOUND("not_found", 404),
  METHOD_NOT_ALLOWED("invalid_request", 405),
  REQUEST_TIMEOUT("invalid_request", 408),
  CONFLICT("conflict", 409),
  PAYLOAD_TOO_LARGE("invalid_request", 413),
  UNSUPPORTED_MEDIA_TYPE("invalid_request", 415),
  TOO_MANY_REQUESTS("temporarily_unavailable", 429);

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
