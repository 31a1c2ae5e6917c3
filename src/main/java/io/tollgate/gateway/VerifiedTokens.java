package io.tollgate.gateway;

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
  private final ConcurrentHashMap<Key, Caller> cache = new ConcurrentHashMap<>();

  /**
   * The cache key: String.hashCode would walk all ~700 characters of a fresh String on every request
   * (5% of the gateway's time in bench/PROFILE.md); the signature's last 32 characters are uniformly
   * random already. Only verified tokens are stored, so a caller cannot plant colliding keys.
   */
  private record Key(String jwt) {
    @Override
    public int hashCode() {
      int h = 0;
      for (int i = Math.max(0, jwt.length() - 32); i < jwt.length(); i++) {
        h = 31 * h + jwt.charAt(i);
      }
      return h;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Key key && key.jwt.equals(jwt);
    }
  }

  VerifiedTokens(AccessTokenVerifier verifier, RevocationList revocations) {
    this.verifier = verifier;
    this.revocations = revocations;
  }

  /** The caller of a valid token; throws {@code InvalidTokenException} when it is not valid (now). */
  Caller verify(String jwt) {
    Caller caller = signed(jwt);
    if (revocations.isRevoked(caller.token())) {
      throw new InvalidTokenException(InvalidTokenException.Reason.REVOKED, "the token was revoked");
    }
    return caller;
  }

  private Caller signed(String jwt) {
    Key key = new Key(jwt);
    Caller cached = cache.get(key);
    if (cached != null) {
      if (cached.token().expiresAt() > System.currentTimeMillis() / 1000) {
        return cached;
      }
      cache.remove(key);
    }
    Caller verified = Caller.of(verifier.verify(jwt));
    if (cache.size() >= MAX_ENTRIES) {
      cache.clear();
    }
    cache.put(key, verified);
    return verified;
  }
}
