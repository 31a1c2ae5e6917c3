package io.tollgate.http;

/**
 * W3C Trace Context level 1 (https://www.w3.org/TR/trace-context/) §3.2: which {@code traceparent}
 * values continue the caller's trace. One pass over the characters, no regex, no split.
 */
final class TraceParent {
  /** version "-" trace-id "-" parent-id "-" trace-flags, the length of version 00 (§3.2.2). */
  static final int LENGTH = 55;
  /** §3.2.2.5: level 1 defines only the sampled flag; "vendors MUST set" the others to zero. */
  static final int KNOWN_FLAGS = 0x01;

  private TraceParent() {}

  /**
   * True when {@code value} is a traceparent to continue: version 00 of exactly 55 characters, or a
   * higher version read as §3.2.4 says (its first 55 characters in version 00's format, then the end
   * or a {@code -}); lowercase hex only (§3.2.2.1); version ff, an all-zero trace-id (§3.2.2.3) or
   * parent-id (§3.2.2.4) is invalid. Optional whitespace around the value is not part of it.
   */
  static boolean valid(String value) {
    int n = value.length();
    if (n < LENGTH || value.charAt(2) != '-' || value.charAt(35) != '-' || value.charAt(52) != '-') {
      return false;
    }
    int version = hex(value, 0, 2);
    if (version < 0 || version == 0xff || version == 0 && n != LENGTH
        || version > 0 && n > LENGTH && value.charAt(LENGTH) != '-') {
      return false;
    }
    return nonZeroHex(value, 3, 35) && nonZeroHex(value, 36, 52) && hex(value, 53, 55) >= 0;
  }

  /** The flags this gateway passes on, of a valid value. */
  static int flags(String value) {
    return hex(value, 53, 55) & KNOWN_FLAGS;
  }

  /** RFC 9110 §5.5: optional whitespace around a field value (HTTP/2 fields keep it). */
  static String trim(String value) {
    int from = 0;
    int to = value.length();
    while (from < to && (value.charAt(from) == ' ' || value.charAt(from) == '\t')) {
      from++;
    }
    while (to > from && (value.charAt(to - 1) == ' ' || value.charAt(to - 1) == '\t')) {
      to--;
    }
    return from == 0 && to == value.length() ? value : value.substring(from, to);
  }

  private static boolean nonZeroHex(String value, int from, int to) {
    boolean nonZero = false;
    for (int i = from; i < to; i++) {
      int digit = digit(value.charAt(i));
      if (digit < 0) {
        return false;
      }
      nonZero |= digit != 0;
    }
    return nonZero;
  }

  private static int hex(String value, int from, int to) {
    int result = 0;
    for (int i = from; i < to; i++) {
      int digit = digit(value.charAt(i));
      if (digit < 0) {
        return -1;
      }
      result = result * 16 + digit;
    }
    return result;
  }

  /** §3.2.2: HEXDIGLC, lowercase only. */
  private static int digit(char c) {
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
  }
}
