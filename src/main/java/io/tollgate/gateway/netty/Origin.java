package io.tollgate.gateway.netty;

import java.util.Objects;

/**
 * Where a pool's channels go: host, port and, for https, how the backend is verified. Channels are
 * shared by every route whose backend has the same origin and TLS settings, as Vert.x's HttpClient
 * pooled them by host and port per client; {@code tls} compares by identity (one per route with
 * {@code tls}, one for the system's trust store).
 */
public final class Origin {
  final String host;
  final int port;
  final BackendTls tls;
  private final String hostHeader;
  private final int hash;

  /** {@code tls} is null for plain http. */
  public Origin(String host, int port, BackendTls tls) {
    this.host = host;
    this.port = port;
    this.tls = tls;
    // the Host header Vert.x's client wrote: the port only when it is not the scheme's default
    this.hostHeader = (tls == null ? port == 80 : port == 443) ? host : host + ":" + port;
    this.hash = Objects.hash(host, port, System.identityHashCode(tls)); // once: pools are looked up per request
  }

  public String hostHeader() {
    return hostHeader;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Origin o && o.port == port && o.host.equals(host) && o.tls == tls;
  }

  @Override
  public int hashCode() {
    return hash;
  }
}
