package io.tollgate.tls;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslSessionTicketKey;
import io.tollgate.config.TollgateConfig;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.SSLEngineOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the TLS listener is made of: the certificates by SNI, the protocols, ALPN and the engine. */
public final class ServerTls {
  private static final Logger log = LoggerFactory.getLogger(ServerTls.class);

  private ServerTls() {}

  /**
   * Reads every certificate and key of {@code http.tls} (blocking) and makes each check the start
   * made ({@code config.TlsSection}): a rotated file must pass them all to serve. The failure names the key.
   */
  static SniCertificates read(TollgateConfig.Tls config) throws TlsException {
    List<PemIdentity> identities = new ArrayList<>(List.of(read(config.cert(), config.key(), "http.tls.key")));
    Map<String, Integer> exact = new HashMap<>();
    Map<String, Integer> wildcard = new HashMap<>();
    for (int i = 0; i < config.hosts().size(); i++) {
      TollgateConfig.TlsHost host = config.hosts().get(i);
      PemIdentity identity = read(host.cert(), host.key(), "http.tls.hosts[" + i + "].key");
      String uncovered = identity.uncovered(host.names(), host.cert());
      if (uncovered != null) {
        throw new TlsException("http.tls.hosts[" + i + "].names: " + uncovered);
      }
      identities.add(identity);
      for (String name : host.names()) {
        if (name.startsWith("*.")) {
          wildcard.put(name.substring(2), identities.size() - 1);
        } else {
          exact.put(name, identities.size() - 1);
        }
      }
    }
    return new SniCertificates(identities, exact, wildcard);
  }

  private static PemIdentity read(Path cert, Path key, String name) throws TlsException {
    try {
      return PemIdentity.read(cert, key);
    } catch (TlsException e) {
      throw new TlsException(name + ": " + e.getMessage());
    }
  }

  /** Every file a rotation watches: each certificate and key, and the ticket keys. */
  static List<Path> files(TollgateConfig.Tls config) {
    List<Path> files = new ArrayList<>(List.of(config.cert(), config.key()));
    config.hosts().forEach(host -> files.addAll(List.of(host.cert(), host.key())));
    if (config.ticketKeys() != null) {
      files.add(config.ticketKeys());
    }
    return List.copyOf(files);
  }

  /** Makes {@code options} a TLS listener serving {@code certificates}. */
  static HttpServerOptions apply(HttpServerOptions options, TollgateConfig.Tls config, SniCertificates certificates,
      SSLEngineOptions engine) {
    // RFC 8446 and RFC 9325 §3.1.1: TLS 1.3 and 1.2 only; older versions are never offered
    // SNI is answered by the certificates' own key manager (SniCertificates): Vert.x's would keep a context per name
    options.setSsl(true).setSni(false).setSslEngineOptions(engine).setKeyCertOptions(certificates)
        .setEnabledSecureTransportProtocols(new LinkedHashSet<>(config.protocols()));
    if (config.http2()) {
      // RFC 9113 §3.2: h2 is chosen by ALPN over TLS; http/1.1 stays for clients without it
      options.setUseAlpn(true).setAlpnVersions(List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1));
    } else {
      options.setUseAlpn(false);
    }
    return options;
  }

  /** BoringSSL where netty-tcnative loads and {@code engine} allows it, the JDK's engine otherwise. */
  static SSLEngineOptions engine(TollgateConfig.Tls config, OpenSslSessionTicketKey[] ticketKeys) {
    if (config.engine().equals("openssl") && OpenSSLEngineOptions.isAvailable()) {
      log.info("TLS engine: OpenSSL ({}), session tickets {}", OpenSsl.versionString(),
          ticketKeys == null ? "with this instance's own keys" : "with the shared keys of http.tls.ticketKeys");
      // session tickets (RFC 8446 §4.6.1) are on in BoringSSL by default; the cache serves TLS 1.2 ids
      return new OpenSslServerEngine(ticketKeys);
    }
    if (ticketKeys != null) {
      log.warn("http.tls.ticketKeys needs the OpenSSL engine: the JDK engine keeps tickets keys of its own");
    }
    if (config.engine().equals("openssl")) {
      Throwable cause = OpenSsl.unavailabilityCause();
      log.info("TLS engine: JDK (OpenSSL does not load here: {})", cause == null ? "unknown" : cause.getMessage());
    } else {
      log.info("TLS engine: JDK (http.tls.engine: jdk)");
    }
    return new JdkSSLEngineOptions();
  }
}
