package io.tollgate.gateway;

import io.tollgate.cors.CorsPolicy;
import io.tollgate.http.ContentLength;
import io.tollgate.http.RequestFacts;
import io.tollgate.oauth.OAuthResponses;
import io.tollgate.tokens.AccessToken;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import java.util.Map;

/**
 * The edits the gateway makes to what passes through it, in one place for both ways of proxying
 * (Vert.x's HttpClient and the Netty-level channels, {@link GatewayService#PROXY}): which of the
 * caller's headers reach the backend and which the gateway adds, which of the backend's answer
 * headers reach the caller, and the body rules of RFC 9112 §6.3 both sides apply.
 */
final class ProxiedHeaders {
  /**
   * RFC 9110 §7.6.1 hop-by-hop headers, and those the gateway writes itself (the request id and the
   * trace context are the ones in {@link RequestFacts}); the caller's identity and proxy headers in
   * every spelling are {@link CallerClaims}' business.
   */
  private static final MultiMap NOT_FORWARDED = names("connection", "keep-alive", "proxy-authenticate",
      "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "host",
      "expect", "x-request-id", "traceparent", "tracestate");
  private static final MultiMap NONE = MultiMap.caseInsensitiveMultiMap();
  /** Hop-by-hop headers of a backend's answer, and the request id, which the answer already carries. */
  private static final MultiMap NOT_RETURNED = names("connection", "keep-alive", "proxy-authenticate",
      "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "x-request-id");
  /** On a route with {@code cors}: also the backend's own CORS answers, which the route's policy replaces. */
  private static final MultiMap NOT_RETURNED_WITH_CORS = names(NOT_RETURNED.names().toArray(String[]::new))
      .addAll(names(CorsPolicy.REPLACED_IN_BACKEND_ANSWERS.toArray(String[]::new)));

  private ProxiedHeaders() {}

  /** Into {@code out}: the caller's headers minus hop-by-hop ones and claims, plus the gateway's. */
  static void fill(MultiMap out, HttpServerRequest request, AccessToken token, RequestFacts facts) {
    MultiMap listed = connectionOptions(request.headers());
    for (Map.Entry<String, String> header : request.headers()) {
      String name = header.getKey();
      if (!NOT_FORWARDED.contains(name) && !listed.contains(name) && !CallerClaims.isClaim(name)) {
        out.add(name, header.getValue());
      }
    }
    if (token != null) {
      out.set("X-Auth-Subject", token.subject());
      out.set("X-Auth-Client-Id", token.clientId());
      out.set("X-Auth-Scope", token.scope() == null ? "" : token.scope());
    }
    String client = request.remoteAddress() == null ? "" : request.remoteAddress().hostAddress();
    String proto = request.isSSL() ? "https" : "http";
    String host = request.authority() == null ? null : request.authority().toString();
    out.add("X-Forwarded-For", client);
    out.add("X-Forwarded-Proto", proto);
    if (host != null) {
      out.add("X-Forwarded-Host", host);
    }
    out.add("Forwarded", CallerClaims.forwarded(client, proto, host));
    out.add(OAuthResponses.REQUEST_ID, facts.requestId());
    out.add("traceparent", facts.traceparent());
    if (facts.tracestate() != null) {
      out.add("tracestate", facts.tracestate());
    }
  }

  /**
   * The backend's answer head onto the caller's response: status, end-to-end headers (on a route with
   * {@code cors}, the route's policy instead of the backend's), and chunked framing when the answer
   * has no length and may have a body.
   */
  static void answer(HttpServerRequest request, int status, String reason, MultiMap from, CorsPolicy cors) {
    HttpServerResponse response = request.response();
    response.setStatusCode(status).setStatusMessage(reason);
    if (cors == null) {
      copy(from, response.headers(), NOT_RETURNED);
    } else {
      // the gateway put Allow-Origin and Vary: Origin on the response already (Gateway); one Vary for both
      copy(from, response.headers(), NOT_RETURNED_WITH_CORS);
      CorsPolicy.mergeVary(from, response.headers());
    }
    if (from.get("Content-Length") == null && mayHaveBody(request, status) && request.version() != HttpVersion.HTTP_1_0) {
      response.setChunked(true);
    }
  }

  /**
   * The answer's Content-Length when it is a plain number, else -1 (Netty's decoder refuses an answer
   * with more than one). A first chunk of exactly that length is the complete body (RFC 9112 §6.3),
   * so the answer may end with it; the backend's own end then changes nothing.
   */
  static long wholeBodyLength(HttpServerResponse response) {
    String length = response.headers().get("Content-Length");
    return length != null && ContentLength.isPlain(length) ? Long.parseLong(length) : -1;
  }

  /** RFC 9112 §6.3: an HTTP/1.x request without Content-Length or Transfer-Encoding has no body. */
  static boolean hasNoBody(HttpServerRequest request) {
    if (request.version() == HttpVersion.HTTP_2) {
      return request.isEnded();
    }
    String length = request.getHeader("Content-Length");
    return request.getHeader("Transfer-Encoding") == null && (length == null || "0".equals(length));
  }

  private static boolean mayHaveBody(HttpServerRequest request, int status) {
    return request.method() != HttpMethod.HEAD && status >= 200 && status != 204 && status != 304;
  }

  /** Copies headers except {@code skipped} and any a {@code Connection} header names (RFC 9110 §7.6.1). */
  private static void copy(MultiMap from, MultiMap to, MultiMap skipped) {
    MultiMap listed = connectionOptions(from);
    for (Map.Entry<String, String> header : from) {
      String name = header.getKey();
      if (!skipped.contains(name) && !listed.contains(name)) {
        to.add(name, header.getValue());
      }
    }
  }

  /** The header names listed in every {@code Connection} header; usually there is none. */
  private static MultiMap connectionOptions(MultiMap headers) {
    return headers.contains("Connection") ? names(String.join(",", headers.getAll("Connection")).split(",")) : NONE;
  }

  /**
   * A set of header names, any case: Vert.x's header map, whose case-insensitive hash needs no
   * lower-cased copy of each name (a TreeSet's comparisons were 1% of the gateway's time).
   */
  private static MultiMap names(String... names) {
    MultiMap set = MultiMap.caseInsensitiveMultiMap();
    for (String name : names) {
      set.add(name.trim(), "");
    }
    return set;
  }
}
