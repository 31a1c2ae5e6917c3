package io.tollgate.tls;

import io.netty.handler.ssl.OpenSslSessionTicketKey;
import io.tollgate.config.TollgateConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.SSLEngineOptions;
import io.vertx.core.net.ServerSSLOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS listeners' certificates, re-read when a file changes (polled) or on {@link #reload()}
 * ({@code SIGHUP}). New handshakes get the new certificates; connections already open keep the
 * session they negotiated. A new set that does not load changes nothing and logs one line.
 */
public final class CertificateRotation implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CertificateRotation.class);
  private static final long POLL_MILLIS = 1_000;

  private final Vertx vertx;
  private final TollgateConfig.Tls config;
  private final SSLEngineOptions engine;
  private final List<HttpServer> servers = new CopyOnWriteArrayList<>();
  private final AtomicBoolean busy = new AtomicBoolean();
  private final long timer;
  private volatile Loaded current;
  /** The digest of a set already refused: it is logged once, not every poll. */
  private volatile String refused = "";

  /** The certificates in service and the digest of the files they came from. */
  private record Loaded(SniCertificates certificates, OpenSslSessionTicketKey[] ticketKeys, String digest) {}

  private CertificateRotation(Vertx vertx, TollgateConfig.Tls config, SSLEngineOptions engine, Loaded loaded) {
    this.vertx = vertx;
    this.config = config;
    this.engine = engine;
    this.current = loaded;
    this.timer = config.watch() ? vertx.setPeriodic(POLL_MILLIS, id -> poll()) : -1;
  }

  /** Loads every certificate (on a worker) and starts watching the files. */
  public static Future<CertificateRotation> start(Vertx vertx, TollgateConfig.Tls config) {
    return vertx.executeBlocking(() -> load(config), false)
        .map(loaded -> new CertificateRotation(vertx, config, ServerTls.engine(config, loaded.ticketKeys()), loaded));
  }

  /** Makes {@code options} this TLS listener; {@code server} is then kept up to date. */
  public HttpServerOptions configure(HttpServerOptions options) {
    return ServerTls.apply(options, config, current.certificates(), engine);
  }

  public void attach(HttpServer server) {
    servers.add(server);
  }

  public void detach(HttpServer server) {
    servers.remove(server);
  }

  public TollgateConfig.Tls config() {
    return config;
  }

  /** Re-reads the files now, changed or not; succeeds with false when the new set was refused. */
  public Future<Boolean> reload() {
    return vertx.executeBlocking(() -> digest(ServerTls.files(config)), false).compose(this::reload);
  }

  /**
   * The files read and checked now, on a worker, changing nothing yet: a reload validates everything
   * before it applies anything. Fails with the reason when they do not load.
   */
  public Future<Staged> stage() {
    return vertx.executeBlocking(() -> new Staged(load(config)), false);
  }

  /** Certificates read by {@link #stage()}, not yet in service. */
  public static final class Staged {
    private final Loaded loaded;

    private Staged(Loaded loaded) {
      this.loaded = loaded;
    }
  }

  /** New handshakes use the staged certificates from now on. */
  public Future<Boolean> install(Staged staged) {
    return install(staged.loaded);
  }

  /** {@code seen}: the digest of the files about to be read; a refused set is not retried until they change. */
  private Future<Boolean> reload(String seen) {
    return vertx.executeBlocking(() -> load(config), false)
        .compose(this::install)
        .recover(err -> {
          refused = seen;
          log.warn("TLS certificates not reloaded, the previous ones keep serving: {}", err.getMessage());
          return Future.succeededFuture(false);
        });
  }

  private void poll() {
    if (!busy.compareAndSet(false, true)) {
      return;
    }
    vertx.executeBlocking(() -> digest(ServerTls.files(config)), false)
        .compose(digest -> digest.equals(current.digest()) || digest.equals(refused)
            ? Future.succeededFuture(false) : reload(digest))
        .onComplete(done -> busy.set(false));
  }

  private Future<Boolean> install(Loaded loaded) {
    current = loaded;
    if (engine instanceof OpenSslServerEngine shared && loaded.ticketKeys() != null) {
      shared.keys(loaded.ticketKeys()); // taken by the contexts the update below makes
    }
    ServerSSLOptions options = new ServerSSLOptions().setSni(false).setKeyCertOptions(loaded.certificates())
        .setEnabledSecureTransportProtocols(new java.util.LinkedHashSet<>(config.protocols()))
        .setUseAlpn(config.http2());
    if (config.http2()) {
      options.setApplicationLayerProtocols(List.of("h2", "http/1.1"));
    }
    return Future.all(servers.stream().map(server -> server.updateSSLOptions(options)).toList())
        .onSuccess(done -> log.info("TLS certificates reloaded for new connections"))
        .map(true);
  }

  private static Loaded load(TollgateConfig.Tls config) throws Exception {
    // the digest first: a file replaced while we read makes the next poll read again
    String digest = digest(ServerTls.files(config));
    return new Loaded(ServerTls.read(config), ticketKeys(config), digest);
  }

  private static OpenSslSessionTicketKey[] ticketKeys(TollgateConfig.Tls config) throws TlsException {
    try {
      return config.ticketKeys() == null ? null : TicketKeys.read(config.ticketKeys());
    } catch (TlsException e) {
      throw new TlsException("http.tls.ticketKeys: " + e.getMessage());
    }
  }

  /** SHA-256 over every watched file; an unreadable file digests as its error, so it is noticed. */
  private static String digest(List<Path> files) throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    for (Path file : files) {
      try {
        sha.update(Files.readAllBytes(file));
      } catch (java.io.IOException e) {
        sha.update(("unreadable " + file).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  @Override
  public void close() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }
}
