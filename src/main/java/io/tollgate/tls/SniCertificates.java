package io.tollgate.tls;

import io.vertx.core.Vertx;
import io.vertx.core.net.KeyCertOptions;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import javax.net.ssl.KeyManagerFactory;

/**
 * The certificates one listener serves, chosen by the client's SNI name (RFC 6066 §3): an exact
 * name first, then a {@code *.} wildcard for the first label only (RFC 6125 §6.4.3), else the
 * default. Immutable: a rotation builds a new one, so Vert.x sees a changed configuration.
 */
final class SniCertificates implements KeyCertOptions {
  private final KeyManagerFactory fallback;
  private final Map<String, KeyManagerFactory> exact;
  private final Map<String, KeyManagerFactory> wildcard;

  SniCertificates(KeyManagerFactory fallback, Map<String, KeyManagerFactory> exact,
      Map<String, KeyManagerFactory> wildcard) {
    this.fallback = fallback;
    this.exact = Map.copyOf(exact);
    this.wildcard = Map.copyOf(wildcard);
  }

  /** Null when no entry matches: Vert.x then serves the default certificate. */
  KeyManagerFactory forName(String serverName) {
    String name = serverName.toLowerCase(Locale.ROOT);
    KeyManagerFactory found = exact.get(name);
    int dot = name.indexOf('.');
    if (found == null && dot > 0) {
      found = wildcard.get(name.substring(dot + 1));
    }
    return found;
  }

  @Override
  public KeyCertOptions copy() {
    return this;
  }

  @Override
  public KeyManagerFactory getKeyManagerFactory(Vertx vertx) {
    return fallback;
  }

  @Override
  public Function<String, KeyManagerFactory> keyManagerFactoryMapper(Vertx vertx) {
    return this::forName;
  }
}
