package io.tollgate.tls;

import io.vertx.core.Handler;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.RoutingContext;
import java.util.regex.Pattern;

/**
 * The plain listener's answer: {@code 308} to the same target on https. RFC 9110 §15.4.9: a 308
 * keeps the method and body, so a POST stays a POST (a 301 may turn it into a GET).
 */
public final class HttpsRedirect implements Handler<RoutingContext> {
  /** A DNS name or an IPv4/bracketed IPv6 literal: nothing that could end the Location header. */
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.-]{1,253}|\\[[0-9A-Fa-f:.]{2,45}\\]");

  private final int httpsPort;

  private HttpsRedirect(int httpsPort) {
    this.httpsPort = httpsPort;
  }

  public static HttpsRedirect to(int httpsPort) {
    return new HttpsRedirect(httpsPort);
  }

  @Override
  public void handle(RoutingContext ctx) {
    HostAndPort authority = ctx.request().authority();
    String target = ctx.request().uri();
    if (authority == null || !HOST.matcher(authority.host()).matches() || target == null || !target.startsWith("/")) {
      ctx.response().setStatusCode(400).putHeader("Content-Type", "text/plain").end("a Host and an origin-form target are needed\n");
      return;
    }
    String port = httpsPort == 443 ? "" : ":" + httpsPort;
    ctx.response().setStatusCode(308).putHeader("Location", "https://" + authority.host() + port + target)
        .putHeader("Content-Length", "0").end();
  }
}
