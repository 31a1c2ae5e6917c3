package io.tollgate.gateway;

import io.tollgate.tokens.AccessToken;
import io.tollgate.tokens.AccessTokenVerifier;
import io.tollgate.tokens.InvalidTokenException;
import io.tollgate.tokens.RevocationList;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Verified tokens kept until they expire, so that a token is verified once, not on every call.
 * Bounded: when full it starts over, which costs a re-verification, never a wrong answer.
 * Revocation is checked on every call, cached or not, against the in-memory list.
 */
final class VerifiedTokens {
  private static final int MAX_ENTRIES = 100_000;

  private final AccessTokenVerifier verifier;
  private final RevocationList revocations;
  private final ConcurrentHashMap<String, AccessToken> cache = new ConcurrentHashMap<>();

  VerifiedTokens(AccessTokenVerifier verifier, RevocationList revocations) {
    this.verifier = verifier;
    this.revocations = revocations;
  }

  /** The verified token; throws {@code InvalidTokenException} when it is not valid (now). */
  AccessToken verify(String jwt) {
    AccessToken token = signed(jwt);
    if (revocations.isRevoked(token)) {
      throw new InvalidTokenException(InvalidTokenException.Reason.REVOKED, "the token was revoked");
    }
    return token;
  }

  private AccessToken signed(String jwt) {
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
