package io.tollgate.http;

import io.tollgate.oauth.OAuthError;
import io.tollgate.oauth.OAuthResponses;
import io.vertx.core.http.HttpServerResponse;

/**
 * The request-target, parsed once and strictly, before any route sees it: the string it returns is
 * the one that is routed, checked and forwarded, so that a backend cannot read a path other than the
 * one Tollgate authorised. One pass over the characters, no regex; a target that is already canonical
 * origin-form is returned as is, without a copy.
 */
public final class RequestTarget {
  /** RFC 3986 §3.3 pchar without pct-encoded: unreserved, sub-delims, ":" and "@". */
  private static final boolean[] PCHAR = new boolean[128];

  static {
    String allowed = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:@";
    for (int i = 0; i < allowed.length(); i++) {
      PCHAR[allowed.charAt(i)] = true;
    }
  }

  private RequestTarget() {}

  public static void refuse(HttpServerResponse response) {
    response.setStatusCode(400).putHeader("Content-Type", "application/json").end(OAuthResponses.errorBody(response,
        OAuthError.INVALID_REQUEST.code(), "the request-target is not a canonical origin-form path").encode());
  }

  /**
   * The origin-form target ({@code /path[?query]}) to route and forward, or null when the request
   * must be refused with 400. {@code host} is the {@code Host} header of an HTTP/1.x request, against
   * which an absolute-form target is checked; null for HTTP/2, whose {@code :path} is origin-form only
   * (RFC 9113 §8.3.1).
   */
  public static String canonical(String target, String host) {
    if (target == null || target.isEmpty()) {
      return null;
    }
    int start = target.charAt(0) == '/' ? 0 : pathOfAbsoluteForm(target, host);
    if (start < 0 || !valid(target, start)) {
      return null;
    }
    if (start == 0) {
      return target;
    }
    return start == target.length() || target.charAt(start) == '?' ? "/" + target.substring(start)
        : target.substring(start);
  }

  /**
   * RFC 9112 §3.2.2: in absolute-form the target's authority, not {@code Host}, names the resource,
   * so it is taken only when the two agree, and only for http and https; the backend then gets
   * origin-form, which every server reads the same way. The index where the path begins, or -1.
   */
  private static int pathOfAbsoluteForm(String target, String host) {
    int authority = target.regionMatches(true, 0, "http://", 0, 7) ? 7
        : target.regionMatches(true, 0, "https://", 0, 8) ? 8 : -1;
    if (authority < 0 || host == null) {
      return -1;
    }
    int end = authority;
    while (end < target.length() && target.charAt(end) != '/' && target.charAt(end) != '?') {
      end++;
    }
    return end - authority == host.length() && target.regionMatches(true, authority, host, 0, host.length())
        ? end : -1;
  }

  /**
   * RFC 9112 §3.2.1 origin-form = absolute-path [ "?" query ] with RFC 3986 §3.3/§3.4 characters only
   * ({@code #}, spaces, backslashes, controls and non-ASCII are refused), well-formed percent triplets,
   * and in the path: no dot segment ({@code .} or {@code ..}, RFC 3986 §3.3, also as {@code ..;x},
   * which Tomcat, Jetty and Spring resolve), no encoded dot, slash, backslash or NUL (a backend that
   * decodes first would see other segments), and no {@code _bearer_token} path parameter (RFC 6750
   * §2.3 sends the token in the query, which is never logged; a path parameter would be).
   */
  private static boolean valid(String target, int start) {
    int n = target.length();
    int segment = start + 1;
    boolean params = false;
    boolean query = false;
    for (int i = start; i < n; i++) {
      char c = target.charAt(i);
      if (c == '%') {
        if (i + 2 >= n || hex(target.charAt(i + 1)) < 0 || hex(target.charAt(i + 2)) < 0) {
          return false;
        }
        if (!query && (encodesSeparator(hex(target.charAt(i + 1)) * 16 + hex(target.charAt(i + 2)))
            || !params && dotSegment(target, segment, i))) {
          return false; // a segment of dots then an encoded octet: "..%3b" decodes to "..;"
        }
        i += 2;
      } else if (query) {
        if (c != '/' && c != '?' && !pchar(c)) {
          return false;
        }
      } else if (c == '/' || c == '?' || c == ';') {
        if (!params && dotSegment(target, segment, i)) {
          return false;
        }
        if (c == ';' && target.regionMatches(true, i + 1, "_bearer_token", 0, 13)) {
          return false;
        }
        params = c == ';' || params && c != '/';
        query = c == '?';
        segment = i + 1;
      } else if (!pchar(c)) {
        return false;
      }
    }
    return query || params || !dotSegment(target, segment, n);
  }

  /**
   * The path as servlet containers read it (Tomcat, Jetty, Spring drop each segment's {@code ;}
   * parameters and merge empty segments: {@code /a;x/b} and {@code /a//b} are {@code /a/b} there),
   * or null when the target has neither, which is nearly always: one scan, no copy.
   */
  public static String withoutParameters(String target) {
    int end = target.indexOf('?');
    end = end < 0 ? target.length() : end;
    if (!hasParametersOrEmptySegments(target, end)) {
      return null;
    }
    StringBuilder path = new StringBuilder(end);
    boolean parameters = false;
    for (int i = 0; i < end; i++) {
      char c = target.charAt(i);
      if (c == '/') {
        parameters = false;
        if (path.length() == 0 || path.charAt(path.length() - 1) != '/') {
          path.append('/');
        }
      } else if (c == ';') {
        parameters = true;
      } else if (!parameters) {
        path.append(c);
      }
    }
    return path.toString();
  }

  private static boolean hasParametersOrEmptySegments(String target, int end) {
    for (int i = 0; i < end; i++) {
      char c = target.charAt(i);
      if (c == ';' || c == '/' && i + 1 < end && target.charAt(i + 1) == '/') {
        return true;
      }
    }
    return false;
  }

  private static boolean dotSegment(String target, int from, int to) {
    return to - from == 1 && target.charAt(from) == '.'
        || to - from == 2 && target.charAt(from) == '.' && target.charAt(from + 1) == '.';
  }

  /** {@code %2e} (dot), {@code %2f} (slash), {@code %5c} (backslash), {@code %00}. */
  private static boolean encodesSeparator(int octet) {
    return octet == '.' || octet == '/' || octet == '\\' || octet == 0;
  }

  private static boolean pchar(char c) {
    return c < 128 && PCHAR[c];
  }

  private static int hex(char c) {
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
  }
}
