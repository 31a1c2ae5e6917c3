package io.tollgate.tls;

import io.netty.handler.ssl.OpenSslCachingX509KeyManagerFactory;
import io.vertx.core.Vertx;
import io.vertx.core.net.KeyCertOptions;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import javax.net.ssl.KeyManagerFactory;

/**
 * The certificates one listener serves, chosen by the client's SNI name (RFC 6066 §3): an exact
 * name first, then a {@code *.} wildcard for the first label only (RFC 6125 §6.4.3), else the
 * default. The choice is made by one {@link SniKeyManager}, not by Vert.x's SNI (which the listener
 * leaves off): a context per configured entry at most, never one per name a caller makes up.
 * Immutable: a rotation builds a new one, so Vert.x sees a changed configuration.
 */
final class SniCertificates implements KeyCertOptions {
  private final Map<String, Integer> exact;
  private final Map<String, Integer> wildcard;
  private final KeyManagerFactory factory;

  /**
   * {@code identities}: the default first, then the hosts' certificates; {@code exact} and {@code wildcard}
   * (the part after {@code *.}) give a lower-case name's position in it.
   */
  SniCertificates(List<PemIdentity> identities, Map<String, Integer> exact, Map<String, Integer> wildcard) {
    this.exact = Map.copyOf(exact);
    this.wildcard = Map.copyOf(wildcard);
    // Netty's OpenSSL engine turns a plain key manager's chain and key into native form at every
    // handshake (PEM encoding, a BIO, parsing the key again); this wrapper keeps each alias's once made
    this.factory = new OpenSslCachingX509KeyManagerFactory(new SniKeyManager(identities, this::forName).factory());
  }

  /** The position of the certificate for a lower-case name: 0, the default, when no entry matches. */
  int forName(String name) {
    Integer found = exact.get(name);
    int dot = name.indexOf('.');
    if (found == null && dot > 0) {
      found = wildcard.get(name.substring(dot + 1));
    }
    return found == null ? 0 : found;
  }

  @Override
  public KeyCertOptions copy() {
    return this;
  }

  @Override
  public KeyManagerFactory getKeyManagerFactory(Vertx vertx) {
    return factory;
  }

  /** None: every name is served by the one key manager above. */
  @Override
  public Function<String, KeyManagerFactory> keyManagerFactoryMapper(Vertx vertx) {
    return null;
  }
}
