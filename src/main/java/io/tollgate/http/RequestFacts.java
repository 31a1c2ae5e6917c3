package io.tollgate.http;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;

/**
 * What travels with a request from its arrival to the access log, the metrics and the exported span:
 * its id and trace context (README, "Request ids and tracing"), then, as the gateway learns them,
 * the route, the client and the backend. Values only, never a token or secret.
 */
public final class RequestFacts {
  /** Where a router-handled request keeps its facts in the routing context. */
  public static final String KEY = "tollgate.requestFacts";
  private static final CharSequence REQUEST_ID = HttpHeaders.createOptimized(RequestId.HEADER);
  private static final CharSequence TRACEPARENT = HttpHeaders.createOptimized("traceparent");
  private static final CharSequence TRACESTATE = HttpHeaders.createOptimized("tracestate");

  private String requestId;
  private String traceId;
  private String parentId;
  private String spanId;
  private int traceFlags;
  private String tracestate;
  private Object span;
  private String route;
  private String clientId;
  private String backend;

  private RequestFacts() {}

  /**
   * The facts of a request that has just arrived: its id, put on the response at once so that every
   * answer carries it (and every error body, which copies it from there), and its trace context.
   */
  public static RequestFacts begin(HttpServerRequest request) {
    RequestFacts facts = new RequestFacts();
    MultiMap headers = request.headers();
    facts.requestId = RequestId.of(headers);
    request.response().putHeader(REQUEST_ID, facts.requestId);
    facts.trace(headers);
    return facts;
  }

  /**
   * W3C Trace Context §4 (processing model): one valid traceparent continues the caller's trace,
   * with its sampled flag, and only then is tracestate kept (§3.3: never read beside a traceparent
   * that failed); none, a second one or an invalid one starts a new trace, marked sampled (§3.2.2.5:
   * the access log records it), so that a backend sampling by its parent records as it would have
   * without a traceparent.
   */
  private void trace(MultiMap headers) {
    String given = headers.get(TRACEPARENT);
    if (given != null) {
      given = TraceParent.trim(given);
    }
    if (given != null && TraceParent.valid(given) && headers.getAll(TRACEPARENT).size() == 1) {
      traceId = given.substring(3, 35);
      parentId = given.substring(36, 52);
      traceFlags = TraceParent.flags(given);
      tracestate = tracestate(headers.getAll(TRACESTATE));
    } else {
      traceId = Ids.hex128();
      traceFlags = 1;
    }
    spanId = Ids.hex64();
  }

  /** §3.3: several tracestate fields are one list, combined as RFC 9110 §5.3 combines field lines. */
  private static String tracestate(List<String> fields) {
    String joined = null;
    for (String field : fields) {
      String value = TraceParent.trim(field);
      if (!value.isEmpty()) {
        joined = joined == null ? value : joined + "," + value;
      }
    }
    return joined;
  }

  /** The caller's {@code X-Request-Id} when it was well-formed, else a generated one. */
  public String requestId() {
    return requestId;
  }

  /** 32 lowercase hex digits: the caller's trace, or the new one this request started. */
  public String traceId() {
    return traceId;
  }

  /** The caller's span (the traceparent's parent-id), or null when this request started the trace. */
  public String parentId() {
    return parentId;
  }

  /** This gateway's span: the parent-id the backend is given. */
  public String spanId() {
    return spanId;
  }

  public boolean sampled() {
    return (traceFlags & 1) != 0;
  }

  /** The caller's tracestate, kept only beside a valid traceparent; null when none. */
  public String tracestate() {
    return tracestate;
  }

  /** The traceparent for the backend: the same trace, this gateway's span as the parent (§3.2, version 00). */
  public String traceparent() {
    return "00-" + traceId + "-" + spanId + (sampled() ? "-01" : "-00");
  }

  /** When spans are exported: the span (opaque here), whose ids and sampling decision replace the generated ones. */
  public void exported(Object span, String traceId, String spanId, boolean sampled) {
    this.span = span;
    this.traceId = traceId;
    this.spanId = spanId;
    this.traceFlags = sampled ? 1 : 0;
  }

  /** The exported span, or null when spans are not exported. */
  public Object span() {
    return span;
  }

  /** The gateway route's path prefix: a bounded metrics label; null when no route matched. */
  public String route() {
    return route;
  }

  public void route(String route) {
    this.route = route;
  }

  public String clientId() {
    return clientId;
  }

  public void clientId(String clientId) {
    this.clientId = clientId;
  }

  public String backend() {
    return backend;
  }

  public void backend(String backend) {
    this.backend = backend;
  }

  /**
   * A request path as it may be written to a log: cut at the first path parameter ({@code ;}) or
   * fragment, which like the query may carry credentials ({@code ;jsessionid=}, {@code ;_bearer_token=}),
   * and with control characters shown as {@code ?} so that a caller cannot forge log lines.
   */
  public static String loggedPath(String path) {
    if (path == null) {
      return "-";
    }
    int end = path.length();
    boolean clean = true;
    for (int i = 0; i < end; i++) {
      char c = path.charAt(i);
      if (c == ';' || c == '#') {
        end = i;
      } else if (c < 0x20 || c == 0x7f) {
        clean = false;
      }
    }
    if (clean) {
      return end == path.length() ? path : path.substring(0, end);
    }
    StringBuilder out = new StringBuilder(end);
    for (int i = 0; i < end; i++) {
      char c = path.charAt(i);
      out.append(c < 0x20 || c == 0x7f ? '?' : c);
    }
    return out.toString();
  }
}
