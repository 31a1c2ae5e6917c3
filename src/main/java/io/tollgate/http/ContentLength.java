package io.tollgate.http;

/**
 * RFC 9110 §8.6: Content-Length = 1*DIGIT. A leading zero, a sign, a list or spaces are read
 * differently by different servers, so only the plain form is accepted, for HTTP/1 by the framing
 * guard and for HTTP/2 by the gateway, before either passes the length on.
 */
public final class ContentLength {
  private ContentLength() {}

  /** Whether {@code value} is plain digits without a leading zero, short enough for a long. */
  public static boolean isPlain(String value) {
    if (value.isEmpty() || value.length() > 18 || value.length() > 1 && value.charAt(0) == '0') {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      if (value.charAt(i) < '0' || value.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }
}
