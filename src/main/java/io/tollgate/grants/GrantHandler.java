package io.tollgate.grants;

import io.tollgate.oauth.GrantType;
import io.vertx.core.Future;

/** One grant type. The token endpoint picks the handler by {@code grant_type}; adding a grant adds a class. */
public interface GrantHandler {
  GrantType type();

  /** Decides the request; a failed future carries an {@code OAuthException}. */
  Future<GrantResult> handle(TokenRequest request);
}
