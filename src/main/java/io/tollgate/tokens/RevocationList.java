package io.tollgate.tokens;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The revoked access tokens (by {@code jti}) and token families (by {@code sid}) that may still be
 * live, held in memory so that the gateway checks revocation without a database round trip.
 * An entry is kept until no token it covers can still pass the expiry check.
 */
public final class RevocationList {
  private final ConcurrentHashMap<String, Long> tokens = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Long> families = new ConcurrentHashMap<>();
  private final long leewaySeconds;

  /** {@code leewaySeconds}: the verifier's clock leeway, which keeps tokens alive past {@code exp}. */
  public RevocationList(long leewaySeconds) {
    this.leewaySeconds = leewaySeconds;
  }

  /** {@code until}: epoch seconds after which the token has expired anyway. */
  public void revokeToken(String jti, long until) {
    tokens.merge(jti, until, Math::max);
  }

  /** {@code until}: epoch seconds after which every access token of the family has expired. */
  public void revokeFamily(String sid, long until) {
    families.merge(sid, until, Math::max);
  }

  public boolean isRevoked(AccessToken token) {
    return tokens.containsKey(token.jti()) || (token.sid() != null && families.containsKey(token.sid()));
  }

  /** Forgets what can no longer matter. */
  public void prune(long nowEpochSeconds) {
    long horizon = nowEpochSeconds - leewaySeconds;
    tokens.values().removeIf(until -> until < horizon);
    families.values().removeIf(until -> until < horizon);
  }

  public int size() {
    return tokens.size() + families.size();
  }
}
