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
  /** Marker per client and per user: not-before (epoch ms) and until (epoch s), as {@code long[2]}. */
  private final ConcurrentHashMap<String, long[]> clients = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, long[]> users = new ConcurrentHashMap<>();
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

  /** Every token of the client issued at or before {@code notBefore} (epoch ms) is revoked. */
  public void revokeClient(String clientId, long notBefore, long until) {
    clients.merge(clientId, new long[] {notBefore, until}, RevocationList::later);
  }

  /** Every token of the user (its subject) issued at or before {@code notBefore} (epoch ms) is revoked. */
  public void revokeUser(String userId, long notBefore, long until) {
    users.merge(userId, new long[] {notBefore, until}, RevocationList::later);
  }

  public boolean isRevoked(AccessToken token) {
    return tokens.containsKey(token.jti()) || (token.sid() != null && families.containsKey(token.sid()))
        || issuedBefore(clients.get(token.clientId()), token) || issuedBefore(users.get(token.subject()), token);
  }

  /** A jti without the issue millisecond counts as issued at the start of its second: revoked when in doubt. */
  private static boolean issuedBefore(long[] marker, AccessToken token) {
    return marker != null && TokenIds.issuedMillis(token.jti(), token.issuedAt() * 1000) <= marker[0];
  }

  private static long[] later(long[] a, long[] b) {
    return a[0] >= b[0] ? a : b;
  }

  /** Forgets what can no longer matter. */
  public void prune(long nowEpochSeconds) {
    long horizon = nowEpochSeconds - leewaySeconds;
    tokens.values().removeIf(until -> until < horizon);
    families.values().removeIf(until -> until < horizon);
    clients.values().removeIf(marker -> marker[1] < horizon);
    users.values().removeIf(marker -> marker[1] < horizon);
  }

  public int size() {
    return tokens.size() + families.size() + clients.size() + users.size();
  }
}
