package io.tollgate.oauth;

/**
 * An OAuth error as a value carried by a failed future; one renderer turns it into the response.
 * No stack trace: these are expected outcomes, not bugs, and some are on hot paths.
 */
public final class OAuthException extends RuntimeException {
  private final OAuthError error;
  private final boolean basicChallenge;

  OAuthException(OAuthError error, String description, boolean basicChallenge) {
    super(description, null, false, false);
    this.error = error;
    this.basicChallenge = basicChallenge;
  }

  public OAuthError error() {
    return error;
  }

  public String description() {
    return getMessage();
  }

  /** RFC 6749 §5.2: a 401 after Basic authentication carries {@code WWW-Authenticate: Basic}. */
  public boolean basicChallenge() {
    return basicChallenge;
  }

  public OAuthException withBasicChallenge() {
    return new OAuthException(error, getMessage(), true);
  }
}
