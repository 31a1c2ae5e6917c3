package io.tollgate.gateway;

/**
 * Headers by which a backend learns who called and by which way: identity ({@code X-Auth-*}) and
 * proxy ones ({@code Forwarded}, {@code X-Forwarded-*}, {@code X-Real-IP}, and the original-URL
 * headers that Symfony and IIS route by). Only the gateway may state these, so the caller's are
 * dropped in every spelling: any case, and {@code _} for {@code -}, since CGI, WSGI, PHP and Rack
 * read {@code X_Auth_Subject} as {@code HTTP_X_AUTH_SUBJECT}, the same variable as {@code X-Auth-Subject}.
 */
final class CallerClaims {
  private CallerClaims() {}

  /** Whether a caller's header of this name claims identity or proxy facts; no allocation. */
  static boolean isClaim(String name) {
    char first = name.isEmpty() ? 0 : name.charAt(0);
    if (first == 'f' || first == 'F') {
      return is(name, "forwarded");
    }
    if (first != 'x' && first != 'X') {
      return false; // the common case: one comparison
    }
    return startsWith(name, "x-auth-") || startsWith(name, "x-forwarded-") || is(name, "x-real-ip")
        || is(name, "x-original-url") || is(name, "x-rewrite-url");
  }

  /**
   * RFC 7239 §4 {@code Forwarded} as Tollgate sees the request: {@code for} (an IPv6 address in
   * brackets and quotes, §6), {@code proto}, and {@code host} quoted (a port's colon is not a token character).
   */
  static String forwarded(String client, String proto, String host) {
    String node = client.indexOf(':') >= 0 ? "\"[" + client + "]\"" : client.isEmpty() ? "unknown" : client;
    String value = "for=" + node + ";proto=" + proto;
    return host == null ? value : value + ";host=\"" + host.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private static boolean is(String name, String lower) {
    return name.length() == lower.length() && startsWith(name, lower);
  }

  private static boolean startsWith(String name, String lower) {
    if (name.length() < lower.length()) {
      return false;
    }
    for (int i = 0; i < lower.length(); i++) {
      char c = name.charAt(i);
      char folded = c == '_' ? '-' : c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
      if (folded != lower.charAt(i)) {
        return false;
      }
    }
    return true;
  }
}
