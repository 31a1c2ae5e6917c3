package io.tollgate.tokens;

import io.tollgate.oauth.Scopes;
import java.util.Set;

/**
 * An accepted access token as the code that authorises with it needs it: the claims, and the
 * {@code scope} claim (RFC 9068 §2.2.3, a space-separated list) parsed once into a set, when the
 * token is verified, so that a scope check is a set look-up rather than a split per request.
 */
public record Principal(AccessToken token, Set<String> scopes) {
  static Principal of(AccessToken token) {
    // the same parser that made the claim from the request (Scopes.format of Scopes.parse): one rule
    return new Principal(token, Set.copyOf(Scopes.parse(token.scope())));
  }

  /** The user id, or the client id for a client_credentials token (RFC 9068 §2.2). */
  public String subject() {
    return token.subject();
  }

  public String clientId() {
    return token.clientId();
  }

  public boolean hasScope(String scope) {
    return scopes.contains(scope);
  }

  public boolean hasScopes(Set<String> required) {
    return scopes.containsAll(required);
  }
}
