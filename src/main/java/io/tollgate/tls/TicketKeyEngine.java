package io.tollgate.tls;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSslSessionTicketKey;
import io.netty.handler.ssl.ReferenceCountedOpenSslContext;
import io.netty.handler.ssl.SslContext;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.spi.tls.SslContextFactory;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/**
 * The OpenSSL engine with shared session ticket keys: every server context it makes (one per SNI
 * certificate, again after each rotation) gets the keys in force, so that a ticket issued by one
 * instance resumes on another (RFC 8446 §4.6.1). Copies share the keys; a rotation replaces them.
 */
final class TicketKeyEngine extends OpenSSLEngineOptions {
  private final AtomicReference<OpenSslSessionTicketKey[]> keys;

  TicketKeyEngine(OpenSslSessionTicketKey[] keys) {
    this.keys = new AtomicReference<>(keys);
    setSessionCacheEnabled(true);
  }

  private TicketKeyEngine(TicketKeyEngine other) {
    super(other);
    this.keys = other.keys;
  }

  /** Contexts made from now on use {@code next}: {@link CertificateRotation} then renews them. */
  void keys(OpenSslSessionTicketKey[] next) {
    keys.set(next);
  }

  @Override
  public OpenSSLEngineOptions copy() {
    return new TicketKeyEngine(this);
  }

  @Override
  public SslContextFactory sslContextFactory() {
    return new WithKeys(super.sslContextFactory());
  }

  /** Vert.x's own factory, with the keys set on each server context it creates. */
  private final class WithKeys implements SslContextFactory {
    private final SslContextFactory delegate;
    private boolean client;

    WithKeys(SslContextFactory delegate) {
      this.delegate = delegate;
    }

    @Override
    public SslContext create() throws SSLException {
      SslContext context = delegate.create();
      if (!client && context instanceof ReferenceCountedOpenSslContext openssl) {
        openssl.sessionContext().setTicketKeys(keys.get());
      }
      return context;
    }

    @Override
    public SslContextFactory useAlpn(boolean useAlpn) {
      delegate.useAlpn(useAlpn);
      return this;
    }

    @Override
    public SslContextFactory clientAuth(ClientAuth clientAuth) {
      delegate.clientAuth(clientAuth);
      return this;
    }

    @Override
    public SslContextFactory forClient(boolean forClient) {
      client = forClient;
      delegate.forClient(forClient);
      return this;
    }

    @Override
    public SslContextFactory keyMananagerFactory(KeyManagerFactory kmf) {
      delegate.keyMananagerFactory(kmf);
      return this;
    }

    @Override
    public SslContextFactory trustManagerFactory(TrustManagerFactory tmf) {
      delegate.trustManagerFactory(tmf);
      return this;
    }

    @Override
    public SslContextFactory enabledCipherSuites(Set<String> enabledCipherSuites) {
      delegate.enabledCipherSuites(enabledCipherSuites);
      return this;
    }

    @Override
    public SslContextFactory applicationProtocols(List<String> applicationProtocols) {
      delegate.applicationProtocols(applicationProtocols);
      return this;
    }

    @Override
    public SslContextFactory serverName(String serverName) {
      delegate.serverName(serverName);
      return this;
    }
  }
}
