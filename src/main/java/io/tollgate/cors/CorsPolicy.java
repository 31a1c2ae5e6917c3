package io.tollgate.cors;

import io.tollgate.oauth.OAuthError;
import io.tollgate.oauth.OAuthResponses;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The CORS protocol of the Fetch standard (§3.2, "CORS protocol") as Tollgate speaks it, in one
 * place: which origins, methods and headers a resource allows, how a preflight is answered, and what
 * an actual answer carries. Never credentials mode: {@code Access-Control-Allow-Credentials} is never
 * sent, so a browser never sends cookies or HTTP authentication entries along (§3.2.5), and {@code *}
 * is used only where every origin may read (metadata, keys), never with a per-origin decision.
 * Immutable; shared by every event loop.
 */
public final class CorsPolicy {
  public static final String ALLOW_ORIGIN = "Access-Control-Allow-Origin";
  public static final String ALLOW_METHODS = "Access-Control-Allow-Methods";
  public static final String ALLOW_HEADERS = "Access-Control-Allow-Headers";
  public static final String MAX_AGE = "Access-Control-Max-Age";
  public static final String ALLOW_CREDENTIALS = "Access-Control-Allow-Credentials";
  public static final String REQUEST_METHOD = "Access-Control-Request-Method";
  public static final String REQUEST_HEADERS = "Access-Control-Request-Headers";

  /**
   * A backend's own answers to the CORS protocol that a route with {@code cors} replaces: the route's
   * policy is the one the operator wrote and the one preflights were answered with, so a backend that
   * reflects every origin, or says {@code *} with credentials, must not widen it behind the gateway's
   * back; the Allow-Methods/-Headers/-Max-Age of an actual answer mean nothing (they belong to the
   * preflight, which the backend never sees). {@code Access-Control-Expose-Headers} is kept: it only
   * lets an already allowed origin read more of the backend's own answer, the backend's business.
   */
  public static final List<String> REPLACED_IN_BACKEND_ANSWERS =
      List.of(ALLOW_ORIGIN, ALLOW_CREDENTIALS, ALLOW_METHODS, ALLOW_HEADERS, MAX_AGE, "Vary");

  private static final String PREFLIGHT_VARY = "Origin, Access-Control-Request-Method, Access-Control-Request-Headers";

  /** Null: every origin, answered with {@code *}. */
  private final Predicate<String> origins;
  private final Set<String> methods;
  /** Lower case: header names are case-insensitive (RFC 9110 §5.1), browsers send them lower-cased. */
  private final Set<String> headers;
  private final String methodList;
  private final String headerList;
  private final String maxAge;

  private CorsPolicy(Predicate<String> origins, List<String> methods, List<String> headers, int maxAge) {
    this.origins = origins;
    this.methods = Set.copyOf(methods);
    this.headers = Set.copyOf(headers.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList());
    this.methodList = String.join(", ", methods);
    this.headerList = String.join(", ", headers);
    this.maxAge = Integer.toString(maxAge);
  }

  /** A gateway route's {@code cors}: exact origins (checked by {@link Origins}), methods, headers, max age. */
  public static CorsPolicy forRoute(List<String> origins, List<String> methods, List<String> headers, int maxAge) {
    Set<String> exact = Set.copyOf(origins);
    return new CorsPolicy(exact::contains, methods, headers, maxAge);
  }

  /**
   * The token service's preflights (README, "Browsers (CORS)"): any origin some client registered, for a POST with
   * Authorization (a confidential client's Basic credentials) and Content-Type. Which origin may read
   * an answer is decided per request by {@link #allowForClient}, once the client is known.
   */
  public static CorsPolicy registered(Predicate<String> registered) {
    return new CorsPolicy(registered, List.of("POST"), List.of("Authorization", "Content-Type"), 600);
  }

  /** Public documents (metadata, keys): every origin may read them, without credentials. */
  public static CorsPolicy anyOrigin() {
    return new CorsPolicy(null, List.of("GET"), List.of(), 600);
  }

  /**
   * Fetch §3.2.2: a CORS-preflight request is an {@code OPTIONS} with {@code Origin} and
   * {@code Access-Control-Request-Method}; any other OPTIONS is an ordinary request.
   */
  public static boolean isPreflight(HttpServerRequest request) {
    return request.method() == HttpMethod.OPTIONS && request.getHeader("Origin") != null
        && request.getHeader(REQUEST_METHOD) != null;
  }

  /**
   * The router's handler for {@code OPTIONS} on a token-service path: a preflight is answered (204,
   * or 403 {@code access_denied} without any Access-Control-Allow-*); any other OPTIONS goes on.
   */
  public Handler<RoutingContext> preflights() {
    return ctx -> {
      if (!isPreflight(ctx.request())) {
        ctx.next();
        return;
      }
      String refusal = refusal(ctx.request());
      if (refusal == null) {
        answerPreflight(ctx.request());
        return;
      }
      if (origins != null) {
        ctx.response().putHeader("Vary", PREFLIGHT_VARY);
      }
      OAuthResponses.error(ctx, OAuthError.ACCESS_DENIED.because(refusal));
    };
  }

  /** Null when this policy allows the preflight; otherwise why not, for the 403's description. */
  public String refusal(HttpServerRequest request) {
    String origin = request.getHeader("Origin");
    if (origins != null && !origins.test(origin)) {
      return "origin " + shown(origin) + " is not allowed here";
    }
    // Fetch §3.2.3: methods are compared as sent (case-sensitive), header names in any case
    String method = request.getHeader(REQUEST_METHOD);
    if (!methods.contains(method)) {
      return "method " + shown(method) + " is not allowed here; allowed: " + methodList;
    }
    String requested = request.getHeader(REQUEST_HEADERS);
    if (requested != null) {
      for (String name : requested.split(",")) {
        String header = name.trim().toLowerCase(Locale.ROOT);
        if (!header.isEmpty() && !headers.contains(header)) {
          return "header " + shown(header) + " is not allowed here; allowed: " + headerList;
        }
      }
    }
    return null;
  }

  /**
   * Fetch §3.2.3: a successful preflight answer names the origin (or {@code *}), the methods and
   * headers, and how long the browser may cache it; 204, no body. It varies with the request's
   * Origin and the two Access-Control-Request headers ("CORS protocol and HTTP caches").
   */
  public void answerPreflight(HttpServerRequest request) {
    HttpServerResponse response = request.response();
    response.putHeader(ALLOW_ORIGIN, origins == null ? "*" : request.getHeader("Origin"))
        .putHeader(ALLOW_METHODS, methodList);
    if (!headerList.isEmpty()) {
      response.putHeader(ALLOW_HEADERS, headerList);
    }
    if (origins != null) {
      response.putHeader("Vary", PREFLIGHT_VARY);
    }
    response.putHeader(MAX_AGE, maxAge).setStatusCode(204).end();
  }

  /**
   * The CORS headers of an actual (not preflight) answer, put on the response before it is written:
   * {@code *} for every origin, else the request's origin when allowed. A per-origin answer always
   * carries {@code Vary: Origin}, also when the origin is refused or absent ("CORS protocol and HTTP
   * caches": a cache must not hand an answer made without Allow-Origin to an allowed origin).
   */
  public void actual(HttpServerRequest request) {
    HttpServerResponse response = request.response();
    if (origins == null) {
      response.putHeader(ALLOW_ORIGIN, "*");
      return;
    }
    response.putHeader("Vary", "Origin");
    String origin = request.getHeader("Origin");
    if (origin != null && origins.test(origin)) {
      response.putHeader(ALLOW_ORIGIN, origin);
    }
  }

  /**
   * The token service's actual answers (README, "Browsers (CORS)"): readable by the request's origin only when
   * the client the request authenticated as registered it in its {@code webOrigins}.
   */
  public static void allowForClient(HttpServerRequest request, Collection<String> webOrigins) {
    String origin = request.getHeader("Origin");
    if (origin != null && webOrigins.contains(origin)) {
      request.response().putHeader(ALLOW_ORIGIN, origin);
    }
  }

  /** {@code Vary: Origin} on every answer of a resource whose Allow-Origin depends on the Origin. */
  public static void varyOnOrigin(HttpServerResponse response) {
    response.putHeader("Vary", "Origin");
  }

  /**
   * One {@code Vary} for a proxied answer: the backend's own (RFC 9110 §12.5.5: a list, maybe over
   * several fields) with {@code Origin} added once; {@code *} stays {@code *}.
   */
  public static void mergeVary(MultiMap backend, MultiMap out) {
    Set<String> names = new LinkedHashSet<>();
    for (String field : backend.getAll("Vary")) {
      for (String name : field.split(",")) {
        String trimmed = name.trim();
        if (trimmed.equals("*")) {
          out.set("Vary", "*");
          return;
        }
        if (!trimmed.isEmpty() && names.stream().noneMatch(trimmed::equalsIgnoreCase)) {
          names.add(trimmed);
        }
      }
    }
    if (names.stream().noneMatch("Origin"::equalsIgnoreCase)) {
      names.add("Origin");
    }
    out.set("Vary", String.join(", ", names));
  }

  private static String shown(String text) {
    if (text == null) {
      return "(none)";
    }
    StringBuilder out = new StringBuilder("'");
    for (int i = 0; i < text.length() && i < 80; i++) {
      char c = text.charAt(i);
      out.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return out.append(text.length() > 80 ? "...'" : "'").toString();
  }
}
