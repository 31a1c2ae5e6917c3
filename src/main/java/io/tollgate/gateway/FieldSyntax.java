package io.tollgate.gateway;

import io.tollgate.http.ContentLength;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import java.util.Map;

/**
 * Header fields the gateway will not pass on. HTTP/1.x fields were checked by the decoder; HTTP/2
 * fields arrive as HPACK strings that Vert.x hands over unchecked, and copied into an HTTP/1.1
 * request a CR or LF would become a header of Tollgate's own making. A malformed request is the
 * caller's error (400), never a backend failure (502).
 */
final class FieldSyntax {
  private static final boolean[] TCHAR = new boolean[128];

  static {
    String tchar = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    for (int i = 0; i < tchar.length(); i++) {
      TCHAR[tchar.charAt(i)] = true;
    }
  }

  private FieldSyntax() {}

  static boolean valid(HttpServerRequest request) {
    String length = request.getHeader("Content-Length");
    if (length != null && !ContentLength.isPlain(length)) {
      return false;
    }
    if (request.version() != HttpVersion.HTTP_2) {
      return true;
    }
    for (Map.Entry<String, String> field : request.headers()) {
      if (!name(field.getKey()) || !value(field.getValue())) {
        return false;
      }
    }
    return true;
  }

  /** RFC 9110 §5.1 field-name = token (RFC 9113 §8.2.1: and lower case, which Vert.x may have folded). */
  private static boolean name(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c >= 128 || !TCHAR[c]) {
        return false;
      }
    }
    return true;
  }

  /** RFC 9113 §8.2.1: a field value must not contain NUL, CR or LF. */
  private static boolean value(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == 0 || c == '\r' || c == '\n') {
        return false;
      }
    }
    return true;
  }
}
