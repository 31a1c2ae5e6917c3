package io.tollgate.oauth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * RFC 7636 with S256 only: {@code plain} would hand the verifier to whoever sees the authorization
 * request (RFC 9700 §2.1.1). Pure functions, shared by the authorization and the token endpoint.
 */
public final class Pkce {
  public static final String S256 = "S256";

  /** §4.2: BASE64URL(SHA256(verifier)), 32 bytes without padding = 43 characters. */
  private static final Pattern CHALLENGE = Pattern.compile("[A-Za-z0-9_-]{43}");
  /** §4.1: 43 to 128 unreserved characters. */
  private static final Pattern VERIFIER = Pattern.compile("[A-Za-z0-9._~-]{43,128}");

  private Pkce() {}

  public static boolean validChallenge(String challenge) {
    return challenge != null && CHALLENGE.matcher(challenge).matches();
  }

  /** §4.6: true when the verifier is well formed and hashes to the challenge. */
  public static boolean matches(String verifier, String challenge) {
    if (verifier == null || !VERIFIER.matcher(verifier).matches()) {
      return false;
    }
    return challenge != null && MessageDigest.isEqual(
        challengeOf(verifier).getBytes(StandardCharsets.UTF_8), challenge.getBytes(StandardCharsets.UTF_8));
  }

  public static String challengeOf(String verifier) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JRE", e);
    }
  }
}
