package io.tollgate.ops;

import io.tollgate.http.RequestFacts;
import io.tollgate.oauth.ControlCharacters;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per request on the {@code tollgate.access} logger (asynchronous in logback.xml, so the
 * event loop never waits for the console). The path is logged without its query and path parameters,
 * which may hold a {@code _bearer_token} or client credentials; the gateway reports the client id and
 * backend; every line has the request id and the trace id (README, "Request ids and tracing").
 */
public final class AccessLog {
  private static final Logger log = LoggerFactory.getLogger("tollgate.access");

  private final boolean json;

  private AccessLog(boolean json) {
    this.json = json;
  }

  public static AccessLog create(boolean json) {
    return new AccessLog(json);
  }

  void write(HttpServerRequest request, long nanos, RequestFacts facts) {
    if (!log.isInfoEnabled()) {
      return;
    }
    String host = request.authority() == null ? "-" : request.authority().toString();
    double millis = nanos / 1_000_000.0;
    int status = request.response().getStatusCode();
    String client = facts.clientId();
    String backend = facts.backend();
    if (json) {
      log.info(new JsonObject().put("method", request.method().name()).put("host", host)
          .put("path", RequestFacts.loggedPath(request.path())).put("status", status).put("ms", Math.round(millis * 10) / 10.0)
          .put("client", client).put("backend", backend)
          .put("request_id", facts.requestId()).put("trace_id", facts.traceId()).encode());
    } else {
      // the request id and trace id need no printable(): both are of [A-Za-z0-9._-] only (http.RequestId)
      log.info("{} {} {} {} {}ms client={} backend={} id={} trace={}", request.method().name(), printable(host),
          RequestFacts.loggedPath(request.path()), status, String.format("%.1f", millis), printable(client),
          printable(backend), facts.requestId(), facts.traceId());
    }
  }

  /** Keeps a caller-chosen value from forging log lines. */
  private static String printable(String value) {
    if (value == null) {
      return "-";
    }
    StringBuilder out = null;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (ControlCharacters.isControl(c)) {
        if (out == null) {
          out = new StringBuilder(value.substring(0, i));
        }
        out.append('?');
      } else if (out != null) {
        out.append(c);
      }
    }
    return out == null ? value : out.toString();
  }
}
