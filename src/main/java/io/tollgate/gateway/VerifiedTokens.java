package io.tollgate.gateway;

import io.tollgate.tokens.AccessToken;
import io.tollgate.tokens.AccessTokenVerifier;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Verified tokens kept until they expire, so that a token is verified once, not on every call.
 * Bounded: when full it starts over, which costs a re-verification, never a wrong answer.
 */
public final class VerifiedTokens {
  private static final int MAX_ENTRIES = 100_000;

  private final AccessTokenVerifier verifier;
  private final ConcurrentHashMap<String, AccessToken> cache = new ConcurrentHashMap<>();

  public VerifiedTokens(AccessTokenVerifier verifier) {
    this.verifier = verifier;
  }

  /** The verified token; throws {@code InvalidTokenException} when it is not valid (now). */
  AccessToken verify(String jwt) {
    AccessToken cached = cache.get(jwt);
    long now = System.currentTimeMillis() / 1000;
    if (cached != null) {
      if (cached.expiresAt() > now) {
        return cached;
      }
      cache.remove(jwt);
    }
    AccessToken verified = verifier.verify(jwt);
    if (cache.size() >= MAX_ENTRIES) {
      cache.clear();
    }
    cache.put(jwt, verified);
    return verified;
  }
}
