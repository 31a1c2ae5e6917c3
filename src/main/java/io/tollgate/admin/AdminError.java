package io.tollgate.admin;

/**
 * The closed catalogue of admin API errors: the RFC 6749 / RFC 6750 codes where one fits, each with
 * its HTTP status; the body is the same {@code {"error", "error_description"}} as everywhere else.
 */
enum AdminError {
  INVALID_REQUEST("invalid_request", 400),
  INVALID_TOKEN("invalid_token", 401),
  INSUFFICIENT_SCOPE("insufficient_scope", 403),
  NOT_FOUND("not_found", 404),
  METHOD_NOT_ALLOWED("invalid_request", 405),
  CONFLICT("conflict", 409),
  PAYLOAD_TOO_LARGE("invalid_request", 413),
  UNSUPPORTED_MEDIA_TYPE("invalid_request", 415);

  private final String code;
  private final int status;

  AdminError(String code, int status) {
    this.code = code;
    this.status = status;
  }

  String code() {
    return code;
  }

  int status() {
    return status;
  }

  /** This error with a client-safe description, ready to fail a future with. */
  AdminException because(String description) {
    return new AdminException(this, description);
  }

  /** An expected outcome, not a bug: no stack trace. */
  static final class AdminException extends RuntimeException {
    private final AdminError error;

    private AdminException(AdminError error, String description) {
      super(description, null, false, false);
      this.error = error;
    }

    AdminError error() {
      return error;
    }
  }
}
