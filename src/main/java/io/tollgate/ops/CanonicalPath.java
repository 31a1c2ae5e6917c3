package io.tollgate.ops;

import io.tollgate.oauth.OAuthError;
import io.vertx.core.http.HttpServerResponse;
import java.util.Locale;

/**
 * Refuses a path with dot segments or encoded dots, slashes or backslashes before any route sees
 * it: the router matches on a normalised path ({@code /v1/../admin} is {@code /admin}) while a
 * backend may read it otherwise, so such a path could match one route here and mean another there.
 */
public final class CanonicalPath {
  private static final String REFUSAL = OAuthError.INVALID_REQUEST
      .because("dot segments and encoded slashes are not allowed in the path").json().encode();

  private CanonicalPath() {}

  public static void refuse(HttpServerResponse response) {
    response.setStatusCode(400).putHeader("Content-Type", "application/json").end(REFUSAL);
  }

  public static boolean canonical(String path) {
    if (path == null || !path.startsWith("/")) {
      return false;
    }
    if (path.indexOf('.') < 0 && path.indexOf('%') < 0 && path.indexOf('\\') < 0) {
      return true; // the common case, without a lower-cased copy
    }
    String lower = path.toLowerCase(Locale.ROOT);
    return !(lower.contains("/../") || lower.endsWith("/..") || lower.contains("/./") || lower.endsWith("/.")
        || lower.contains("%2e") || lower.contains("%2f") || lower.contains("%5c") || lower.contains("\\"));
  }
}
