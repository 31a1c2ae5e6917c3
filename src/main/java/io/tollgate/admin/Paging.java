package io.tollgate.admin;

import io.tollgate.oauth.OAuthError;
import io.tollgate.storage.Page;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.function.Function;

/**
 * Keyset paging of the list endpoints: {@code ?limit=50&after=<key>} in stable key order, answered as
 * {@code {"items": [...], "next": "<key>"|null}}. A key, unlike an offset, neither skips nor repeats
 * items when others are created or deleted between two pages.
 */
record Paging(String after, int limit) {
  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 200;

  static Paging of(RoutingContext ctx) {
    MultiMap query = ctx.queryParams();
    for (String name : query.names()) {
      if (!name.equals("limit") && !name.equals("after")) {
        throw OAuthError.INVALID_REQUEST.because("unknown query parameter '" + Shown.safe(name) + "'");
      }
      if (query.getAll(name).size() > 1) {
        throw OAuthError.INVALID_REQUEST.because("query parameter '" + name + "' is repeated");
      }
    }
    String after = query.get("after");
    String limit = query.get("limit");
    if (limit == null) {
      return new Paging(blankToNull(after), DEFAULT_LIMIT);
    }
    if (!limit.matches("\\d{1,4}") || Integer.parseInt(limit) < 1 || Integer.parseInt(limit) > MAX_LIMIT) {
      throw OAuthError.INVALID_REQUEST.because("query parameter 'limit' must be an integer from 1 to " + MAX_LIMIT);
    }
    return new Paging(blankToNull(after), Integer.parseInt(limit));
  }

  static <T> JsonObject render(Page<T> page, Function<T, JsonObject> item) {
    List<JsonObject> items = page.items().stream().map(item).toList();
    return new JsonObject().put("items", new JsonArray(items)).put("next", page.next());
  }

  private static String blankToNull(String value) {
    return value == null || value.isEmpty() ? null : value;
  }
}
