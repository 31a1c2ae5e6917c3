package io.tollgate.tokens;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * Access-token ids ({@code jti}) as RFC 9562 UUIDv7: 74 random bits after the issue time in
 * milliseconds. {@code iat} has whole seconds only; the millisecond tells a token issued just
 * after a user's or client's revocation from one issued just before it, in the same second.
 */
public final class TokenIds {
  private static final SecureRandom random = new SecureRandom();

  private TokenIds() {}

  public static String next(long issuedMillis) {
    long high = random.nextLong();
    long low = random.nextLong();
    long msb = (issuedMillis << 16) | 0x7000L | (high & 0x0fffL);
    long lsb = (low & 0x3fffffffffffffffL) | 0x8000000000000000L;
    return new UUID(msb, lsb).toString();
  }

  /** The issue time in ms of a jti from {@link #next}, or {@code fallback} for any other jti. */
  public static long issuedMillis(String jti, long fallback) {
    if (jti == null || jti.length() != 36 || jti.charAt(14) != '7' || jti.charAt(8) != '-') {
      return fallback;
    }
    try {
      return Long.parseLong(jti.substring(0, 8) + jti.substring(9, 13), 16);
    } catch (NumberFormatException notOurs) {
      return fallback;
    }
  }
}
