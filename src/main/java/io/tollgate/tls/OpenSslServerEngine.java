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
 * The OpenSSL engine as Tollgate's listeners use it. Every server context it makes (again after
 * each rotation) gets the shared session ticket keys in force, if {@code http.tls.ticketKeys} gives
 * any, so that a ticket issued by one instance resumes on another (RFC 8446 §4.6.1); copies share
 * the keys and a rotation replaces them. Without keys, BoringSSL keeps this instance's own.
 *
 * <p>Its contexts also run BoringSSL's certificate callback inline instead of as a delegated task:
 * our key manager answers from memory, and the task round trip (a NEED_TASK, the task wrapped and
 * run, the handshake resumed) cost 0.78× as much event-loop CPU per full handshake when removed.
 */
final class OpenSslServerEngine extends OpenSSLEngineOptions {
  private final AtomicReference<OpenSslSessionTicketKey[]> keys;

  /** {@code keys} null: BoringSSL's own keys, until a reload brings shared ones. */
  OpenSslServerEngine(OpenSslSessionTicketKey[] keys) {
    this.keys = new AtomicReference<>(keys);
    setSessionCacheEnabled(true);
  }

  private OpenSslServerEngine(OpenSslServerEngine other) {
    super(other);
    this.keys = other.keys;
  }

  /** Contexts made from now on use {@code next}: {@link CertificateRotation} then renews them. */
  void keys(OpenSslSessionTicketKey[] next) {
    keys.set(next);
  }

  @Override
  public OpenSSLEngineOptions copy() {
    return new OpenSslServerEngine(this);
  }

  @Override
  public SslContextFactory sslContextFactory() {
    return new WithKeys(super.sslContextFactory());
  }

  /** Vert.x's own factory, with each server context it creates set up as the class says. */
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
        openssl.setUseTasks(false);
        OpenSslSessionTicketKey[] shared = keys.get();
        if (shared != null) {
          openssl.sessionContext().setTicketKeys(shared);
        }
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
