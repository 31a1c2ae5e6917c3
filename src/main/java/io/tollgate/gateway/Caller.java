package io.tollgate.gateway;

import io.tollgate.tokens.AccessToken;
import java.util.Set;

/** A verified token as the gateway uses it: its claims, and its scopes split once, not per request. */
record Caller(AccessToken token, Set<String> scopes) {
  static Caller of(AccessToken token) {
    return new Caller(token, token.scope() == null || token.scope().isEmpty()
        ? Set.of() : Set.of(token.scope().split(" ")));
  }
}
