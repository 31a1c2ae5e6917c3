package io.tollgate.gateway;

import io.tollgate.tokens.TokenAcceptor;
import io.vertx.core.http.HttpServerRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/** RFC 6750 §2.1 header or §2.3 query parameter ({@code _bearer_token} here); both at once is an error. */
final class BearerToken {
  static final String QUERY_PARAMETER = "_bearer_token";

  /** Thrown for a request that carries the token twice. */
  static final class Ambiguous extends RuntimeException {
    Ambiguous() {
      super("the token was sent twice", null, false, false);
    }
  }

  private BearerToken() {}

  /** The token, or null when none was sent. */
  static String extract(HttpServerRequest request) {
    String fromHeader = TokenAcceptor.fromHeader(request.getHeader("Authorization"));
    String query = request.query();
    String fromQuery = query == null || !query.contains(QUERY_PARAMETER) ? null : queryToken(query);
    if (fromHeader != null && fromQuery != null) {
      throw new Ambiguous();
    }
    return fromHeader != null ? fromHeader : fromQuery;
  }

  private static String queryToken(String query) {
    for (String pair : query.split("&")) {
      if (pair.startsWith(QUERY_PARAMETER + "=")) {
        return URLDecoder.decode(pair.substring(QUERY_PARAMETER.length() + 1), StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  static String withoutQueryToken(String query) {
    if (!query.contains(QUERY_PARAMETER)) {
      return query;
    }
    StringBuilder kept = new StringBuilder();
    for (String pair : query.split("&")) {
      if (!pair.equals(QUERY_PARAMETER) && !pair.startsWith(QUERY_PARAMETER + "=")) {
        kept.append(kept.length() == 0 ? "" : "&").append(pair);
      }
    }
    return kept.toString();
  }
}
