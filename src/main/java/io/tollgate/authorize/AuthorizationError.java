package io.tollgate.authorize;

import io.tollgate.oauth.OAuthError;
import io.tollgate.oauth.OAuthException;
import io.tollgate.oauth.OAuthResponses;

/**
 * A refused authorization request, as a value carried by a failed future. RFC 6749 §4.1.2.1: with
 * no trustworthy redirect URI (unknown client, unregistered URI) the user is told on a page and
 * never redirected; otherwise the error goes back to the client's redirect URI with its state.
 */
final class AuthorizationError extends RuntimeException {
  private final OAuthException error;
  private final String redirectUri;
  private final String state;

  private AuthorizationError(OAuthException error, String redirectUri, String state) {
    super(error.description(), null, false, false);
    this.error = error;
    this.redirectUri = redirectUri;
    this.state = state;
  }

  /** No redirect: the sentence is shown to the user on a 400 page. */
  static AuthorizationError untrusted(String sentence) {
    return new AuthorizationError(OAuthError.INVALID_REQUEST.because(sentence), null, null);
  }

  static AuthorizationError redirect(String redirectUri, String state, OAuthException error) {
    return new AuthorizationError(error, redirectUri, state);
  }

  /** Any failure after the request was validated goes back to the client; unexpected ones are logged. */
  static AuthorizationError of(AuthorizationRequest request, Throwable failure) {
    if (failure instanceof AuthorizationError known) {
      return known;
    }
    return redirect(request.redirectUri(), request.state(), OAuthResponses.asOAuth(failure));
  }

  OAuthException error() {
    return error;
  }

  /** Null when the error must not be redirected. */
  String redirectUri() {
    return redirectUri;
  }

  String state() {
    return state;
  }
}
