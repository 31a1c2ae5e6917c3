package io.tollgate.oauth;

/**
 * The one control-character rule for text a caller chooses: the C0 controls and DEL are refused (or,
 * in a log line, replaced), TAB is not. TAB passes because RFC 6749 Appendix A.15 and A.16 allow
 * %x09 in a username and a password (UNICODECHARNOCRLF), and RFC 9110 §5.5 allows HTAB in a header
 * field value, where a token's subject ends up at the backends; what these checks stop (a split
 * header, a forged log line, a NUL that truncates) takes CR, LF or NUL, which TAB cannot do.
 */
public final class ControlCharacters {
  private ControlCharacters() {}

  public static boolean isControl(char c) {
    return c < 0x20 && c != '\t' || c == 0x7f;
  }

  public static boolean containsAny(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (isControl(s.charAt(i))) {
        return true;
      }
    }
    return false;
  }
}
