package io.tollgate.authorize;

import io.netty.handler.codec.DecoderException;
import io.tollgate.oauth.OAuthException;
import io.tollgate.oauth.OAuthResponses;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/** The one place where the browser side answers: pages with their security headers, redirects, errors. */
final class BrowserResponses {
  private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*");
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.-]+|\\[[0-9A-Fa-f:.]+]");

  private BrowserResponses() {}

  /**
   * A page. {@code redirectUri} (may be null) is where a form on it may end up: browsers apply the
   * CSP's form-action to the redirect that answers the form, so its origin is allowed besides 'self'.
   */
  static void page(RoutingContext ctx, int status, String html, String redirectUri) {
    HttpServerResponse response = ctx.response();
    if (response.ended()) {
      return;
    }
    noStore(response)
        .putHeader("Content-Type", "text/html; charset=utf-8")
        .putHeader("X-Frame-Options", "DENY")
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "no-referrer")
        .putHeader("Content-Security-Policy", "default-src 'none'; style-src " + Pages.STYLE_HASH
            + "; form-action 'self'" + formTarget(redirectUri) + "; frame-ancestors 'none'; base-uri 'none'")
        .setStatusCode(status)
        .end(html);
  }

  /** RFC 6749 §4.1.2: the answer travels in the query of the redirect URI. */
  static void redirect(RoutingContext ctx, String redirectUri, Map<String, String> params) {
    HttpServerResponse response = ctx.response();
    if (response.ended()) {
      return;
    }
    noStore(response)
        .putHeader("Referrer-Policy", "no-referrer")
        .putHeader("Location", withQuery(redirectUri, params))
        .setStatusCode(302)
        .end();
  }

  /** Renders any failure of the browser side: a page when it may not be redirected, else an error redirect. */
  static void error(RoutingContext ctx, Throwable failure) {
    if (!(failure instanceof AuthorizationError refused)) {
      OAuthException error = OAuthResponses.asOAuth(failure);
      page(ctx, error.error().status(), Pages.problem("Something went wrong",
          "The sign-in could not be completed right now. Please try again later."), null);
      return;
    }
    if (refused.redirectUri() == null) {
      page(ctx, 400, Pages.problem("This request cannot be answered", refused.getMessage()), null);
      return;
    }
    if (AuthorizationRequest.OUT_OF_BAND.equals(refused.redirectUri())) {
      page(ctx, 400, Pages.problem("This request cannot be answered", refused.error().error().code() + ": "
          + refused.error().description()), null);
      return;
    }
    Map<String, String> params = new LinkedHashMap<>();
    params.put("error", refused.error().error().code());
    params.put("error_description", refused.error().description());
    if (refused.state() != null) {
      params.put("state", refused.state());
    }
    redirect(ctx, refused.redirectUri(), params);
  }

  /** The failure handler of the form routes: a body that is too large or unreadable. */
  static void routeFailure(RoutingContext ctx) {
    if (ctx.failure() != null && !(ctx.failure() instanceof DecoderException)) {
      error(ctx, ctx.failure());
    } else {
      int status = ctx.statusCode() == 413 || ctx.statusCode() == 408 ? ctx.statusCode() : 400;
      page(ctx, status, Pages.problem("This request cannot be answered", status == 408
          ? "The form did not arrive in time." : "The form could not be read."), null);
    }
  }

  /** Appends to the registered URI's own query with {@code &}, dropping any fragment (RFC 6749 §3.1.2). */
  static String withQuery(String redirectUri, Map<String, String> params) {
    int hash = redirectUri.indexOf('#');
    StringBuilder uri = new StringBuilder(hash < 0 ? redirectUri : redirectUri.substring(0, hash));
    char last = uri.charAt(uri.length() - 1);
    boolean hasQuery = uri.indexOf("?") >= 0;
    String separator = !hasQuery ? "?" : last == '?' || last == '&' ? "" : "&";
    for (Map.Entry<String, String> param : params.entrySet()) {
      uri.append(separator).append(encode(param.getKey())).append('=').append(encode(param.getValue()));
      separator = "&";
    }
    return uri.toString();
  }

  private static HttpServerResponse noStore(HttpServerResponse response) {
    return response.putHeader("Cache-Control", "no-store").putHeader("Pragma", "no-cache");
  }

  /** The CSP source of the redirect URI's origin, or nothing when it is none we can name safely. */
  private static String formTarget(String redirectUri) {
    if (redirectUri == null || AuthorizationRequest.OUT_OF_BAND.equals(redirectUri)) {
      return "";
    }
    try {
      URI uri = URI.create(redirectUri);
      String scheme = uri.getScheme();
      if (scheme == null || !SCHEME.matcher(scheme).matches()) {
        return "";
      }
      if (!scheme.equalsIgnoreCase("http") && !scheme.equalsIgnoreCase("https")) {
        return " " + scheme + ":"; // an installed application's own scheme
      }
      String host = uri.getHost();
      if (host == null || !HOST.matcher(host).matches()) {
        return "";
      }
      return " " + scheme + "://" + host + (uri.getPort() >= 0 ? ":" + uri.getPort() : "");
    } catch (IllegalArgumentException e) {
      return "";
    }
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
