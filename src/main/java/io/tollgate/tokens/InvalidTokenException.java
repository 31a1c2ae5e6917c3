package io.tollgate.tokens;

/** Why a token was refused; an expected outcome, so without a stack trace. */
public final class InvalidTokenException extends RuntimeException {
  public enum Reason { MALFORMED, BAD_SIGNATURE, UNKNOWN_KID, WRONG_ALGORITHM, EXPIRED, WRONG_ISSUER, WRONG_AUDIENCE, WRONG_TYPE, REVOKED }

  private final Reason reason;

  public InvalidTokenException(Reason reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
