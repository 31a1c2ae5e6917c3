package io.tollgate.grants;

import io.tollgate.oauth.Client;
import io.tollgate.oauth.OAuthError;
import io.tollgate.oauth.Scopes;
import java.util.Collection;
import java.util.Set;

/** CONTRACT §3: requested ∩ client's allowed (∩ the user's roles), or the client's defaults. */
public final class ScopePolicy {
  private ScopePolicy() {}

  /** The scopes a token may carry; fails with {@code invalid_scope} when the client may not ask for them. */
  public static Set<String> grant(Client client, String requested, Collection<String> userScopes) {
    Set<String> asked = Scopes.parse(requested);
    for (String scope : asked) {
      if (!Scopes.valid(scope)) {
        throw OAuthError.INVALID_SCOPE.because("malformed scope");
      }
      if (!client.scopes().contains(scope)) {
        throw OAuthError.INVALID_SCOPE.because("scope '" + scope + "' is not allowed for this client");
      }
    }
    Set<String> granted = asked.isEmpty() ? Scopes.parse(String.join(" ", client.scopesWhenNoneRequested())) : asked;
    if (userScopes != null) {
      granted = Scopes.intersect(granted, userScopes);
      if (granted.isEmpty() && !asked.isEmpty()) {
        throw OAuthError.INVALID_SCOPE.because("none of the requested scopes is granted to this user");
      }
    }
    return granted;
  }
}
