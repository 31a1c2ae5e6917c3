package io.tollgate.gateway.netty;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.tollgate.config.TollgateConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;

/**
 * How https backends are verified (README, "TLS at the edge"), as Vert.x's HttpClient did it: the
 * system's trust store, or a route's {@code tls.ca}, read by Vert.x's own PEM loaders; the route's
 * {@code tls.cert}/{@code key} presented for mutual TLS; the JDK engine; TLS 1.3 and 1.2; and the
 * host name checked against the certificate in every case (RFC 9110 §4.3.4, RFC 6125). The context is
 * built once per configuration on a worker thread (it reads files), shared by every event loop.
 */
public final class BackendTls {
  private final Future<SslContext> context;

  private BackendTls(Future<SslContext> context) {
    this.context = context;
  }

  /** For a route with {@code tls}, or {@code null} for the system's trust store and no client certificate. */
  public static BackendTls load(Vertx vertx, TollgateConfig.BackendTls tls) {
    return new BackendTls(vertx.executeBlocking(() -> build(vertx, tls), false));
  }

  private static SslContext build(Vertx vertx, TollgateConfig.BackendTls tls) throws Exception {
    // Netty 4.2 verifies host names by default; said here so that no default can drop it
    SslContextBuilder builder = SslContextBuilder.forClient().sslProvider(SslProvider.JDK)
        .protocols("TLSv1.3", "TLSv1.2").endpointIdentificationAlgorithm("HTTPS");
    if (tls != null && tls.ca() != null) {
      builder.trustManager(new PemTrustOptions().addCertPath(tls.ca().toString()).getTrustManagerFactory(vertx));
    }
    if (tls != null && tls.cert() != null) {
      builder.keyManager(new PemKeyCertOptions().setCertPath(tls.cert().toString()).setKeyPath(tls.key().toString())
          .getKeyManagerFactory(vertx));
    }
    return builder.build();
  }

  /** Loaded once; its handlers run on whatever thread completed it, so callers hop back to their loop. */
  Future<SslContext> context() {
    return context;
  }

  /** A client handler for one connection to {@code host}: SNI and the name the certificate must carry. */
  static SslHandler handler(SslContext context, ByteBufAllocator alloc, String host, int port) {
    return context.newHandler(alloc, host, port);
  }
}
