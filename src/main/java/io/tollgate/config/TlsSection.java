package io.tollgate.config;

import io.tollgate.config.TollgateConfig.Tls;
import io.tollgate.config.TollgateConfig.TlsHost;
import io.tollgate.tls.PemIdentity;
import io.tollgate.tls.TlsException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code http.tls} (README, "TLS at the edge"): every certificate and key is read and checked here, so that an
 * unreadable file, a key that does not match, an expired certificate, a name its certificate does not
 * cover or a name listed twice stops the start with one line naming the key. A rotation makes the
 * same checks of the files when it reads them again ({@code tls.ServerTls#read}).
 */
final class TlsSection {
  private static final Set<String> PROTOCOLS = Set.of("TLSv1.3", "TLSv1.2");
  private static final Pattern NAME = Pattern.compile("(\\*\\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");

  private TlsSection() {}

  static Tls read(ConfigReader r) {
    Path cert = r.existingFile("cert");
    Path key = r.existingFile("key");
    check(r, "key", cert, key);
    List<TlsHost> hosts = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (ConfigReader h : r.sections("hosts")) {
      List<String> names = h.strings("names", List.of()).stream().map(n -> n.toLowerCase(Locale.ROOT)).toList();
      if (names.isEmpty()) {
        h.problem("names", "needs at least one host name");
      }
      for (String name : names) {
        if (!NAME.matcher(name).matches()) {
          h.problem("names", "not a host name or *. wildcard: \"" + name + "\"");
        } else if (!seen.add(name)) {
          h.problem("names", "\"" + name + "\" is listed twice");
        }
      }
      Path hostCert = h.existingFile("cert");
      Path hostKey = h.existingFile("key");
      PemIdentity identity = check(h, "key", hostCert, hostKey);
      if (identity != null) {
        requireCovered(h, names, identity, hostCert);
      }
      h.finish();
      hosts.add(new TlsHost(names, hostCert, hostKey));
    }
    List<String> protocols = r.strings("protocols", List.of("TLSv1.3", "TLSv1.2"));
    for (String protocol : protocols) {
      if (!PROTOCOLS.contains(protocol)) {
        // RFC 8996: TLS 1.0 and 1.1 are deprecated; SSL was never acceptable
        r.problem("protocols", "only TLSv1.3 and TLSv1.2, got \"" + protocol + "\"");
      }
    }
    if (protocols.isEmpty()) {
      r.problem("protocols", "needs TLSv1.3, TLSv1.2 or both");
    }
    boolean http2 = r.bool("http2", true);
    String engine = r.string("engine", "openssl");
    if (!engine.equals("openssl") && !engine.equals("jdk")) {
      r.problem("engine", "must be openssl or jdk, got \"" + engine + "\"");
    }
    int hsts = r.has("hsts") ? r.integer("hsts", -1, 0, 63_072_000) : -1;
    boolean watch = r.bool("watch", true);
    Path ticketKeys = r.has("ticketKeys") ? r.existingFile("ticketKeys") : null;
    if (ticketKeys != null && java.nio.file.Files.isRegularFile(ticketKeys)) {
      String problem = io.tollgate.tls.TicketKeys.problem(ticketKeys);
      if (problem != null) {
        r.problem("ticketKeys", problem);
      }
    }
    r.finish();
    return new Tls(cert, key, List.copyOf(hosts), protocols, http2, engine, hsts, watch, ticketKeys);
  }

  /**
   * The pair must load: readable, matching, valid now. Only reported when both files exist.
   * Returns the loaded pair, or null when it has a problem (reported) or a file is missing.
   */
  private static PemIdentity check(ConfigReader r, String name, Path cert, Path key) {
    if (cert == null || key == null || !java.nio.file.Files.isRegularFile(cert)
        || !java.nio.file.Files.isRegularFile(key)) {
      return null;
    }
    try {
      return PemIdentity.read(cert, key);
    } catch (TlsException e) {
      r.problem(name, e.getMessage());
      return null;
    }
  }

  /** The check a rotation makes too ({@code tls.ServerTls}), with the names already reported as malformed left out. */
  private static void requireCovered(ConfigReader h, List<String> names, PemIdentity identity, Path cert) {
    String problem = identity.uncovered(names.stream().filter(n -> NAME.matcher(n).matches()).toList(), cert);
    if (problem != null) {
      h.problem("names", problem);
    }
  }
}
