package io.tollgate.tokens;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/** Opaque tokens (refresh tokens, codes): 256 random bits, stored only as their SHA-256. */
public final class OpaqueTokens {
  private static final SecureRandom random = new SecureRandom();
  private static final Base64.Encoder base64url = Base64.getUrlEncoder().withoutPadding();

  private OpaqueTokens() {}

  public static String randomToken() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return base64url.encodeToString(bytes);
  }

  public static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JRE", e);
    }
  }

  public static boolean constantTimeEquals(String a, String b) {
    return a != null && b != null
        && MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }
}
