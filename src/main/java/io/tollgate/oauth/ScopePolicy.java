package io.tollgate.oauth;

import io.vertx.core.Future;
import java.util.Collection;
import java.util.Set;

/**
 * RFC 6749 §3.3: the authorization server may grant less than asked, and refuses with
 * {@code invalid_scope} what the client may not ask for. Tollgate grants requested ∩ the client's
 * allowed (∩ the user's roles), or the client's defaults when nothing is asked (README, "Admin API").
 */
public final class ScopePolicy {
  private ScopePolicy() {}

  /**
   * The scopes a token may carry, or a failed future with {@code invalid_scope}. {@code userScopes} is
   * null when no user is involved (client credentials).
   */
  public static Future<String> grant(Client client, String requested, Collection<String> userScopes) {
    Set<String> asked = Scopes.parse(requested);
    OAuthException refused = refusal(client, asked);
    if (refused != null) {
      return Future.failedFuture(refused);
    }
    Set<String> granted = asked.isEmpty() ? Scopes.parse(String.join(" ", client.scopesWhenNoneRequested())) : asked;
    if (userScopes != null) {
      granted = Scopes.intersect(granted, userScopes);
      if (granted.isEmpty() && !asked.isEmpty()) {
        return Future.failedFuture(OAuthError.INVALID_SCOPE.because("none of the requested scopes is granted to this user"));
      }
    }
    return Future.succeededFuture(Scopes.format(granted));
  }

  /** RFC 6749 §3.3 and §4.1.2.1: the refusal of a scope the client may not ask for; null when it may. */
  public static OAuthException refusal(Client client, String requested) {
    return refusal(client, Scopes.parse(requested));
  }

  private static OAuthException refusal(Client client, Set<String> asked) {
    for (String scope : asked) {
      if (!Scopes.valid(scope)) {
        return OAuthError.INVALID_SCOPE.because("malformed scope");
      }
      if (!client.scopes().contains(scope)) {
        return OAuthError.INVALID_SCOPE.because("scope '" + scope + "' is not allowed for this client");
      }
    }
    return null;
  }
}
