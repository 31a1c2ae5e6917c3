package io.tollgate.oauth;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * RFC 6749 §2.3.1 client credentials in an HTTP Basic {@code Authorization} header, decoded. Parsing
 * only: whether they authenticate a client is the client authenticator's question.
 */
public record BasicCredentials(String clientId, String secret) {

  /** Null when the header is not Basic; an invalid_request {@link OAuthException} when it is malformed. */
  public static BasicCredentials parse(String header) {
    if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
      return null;
    }
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw OAuthError.INVALID_REQUEST.because("malformed Basic credentials");
    }
    int colon = decoded.indexOf(':');
    if (colon <= 0) {
      throw OAuthError.INVALID_REQUEST.because("malformed Basic credentials");
    }
    try {
      // RFC 6749 §2.3.1: id and secret are form-url-encoded before Basic encoding
      return new BasicCredentials(URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
          URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      throw OAuthError.INVALID_REQUEST.because("malformed Basic credentials");
    }
  }

  @Override
  public String toString() {
    return "BasicCredentials[clientId=" + clientId + "]"; // never the secret
  }
}
