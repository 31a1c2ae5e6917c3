package io.tollgate;

import io.tollgate.admin.AdminApi;
import io.tollgate.authorize.Authorize;
import io.tollgate.config.TollgateConfig;
import io.tollgate.crypto.ClientSecretVerifier;
import io.tollgate.crypto.CryptoProviders;
import io.tollgate.crypto.PasswordHasher;
import io.tollgate.gateway.GatewayService;
import io.tollgate.ops.Metrics;
import io.tollgate.ops.NativeMemory;
import io.tollgate.ops.RateLimit;
import io.tollgate.ops.Spans;
import io.tollgate.storage.Database;
import io.tollgate.storage.Storage;
import io.tollgate.tokens.AccessTokenVerifier;
import io.tollgate.tokens.RevocationList;
import io.tollgate.tokens.SigningKeys;
import io.tollgate.tokens.TokenAcceptor;
import io.tollgate.tokens.TokenMinter;
import io.tollgate.tokenservice.TokenService;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * The wiring: every service behind the routes, built from one configuration and shared by every
 * event loop, each package handed its own section; a reload builds a new set from the new
 * configuration ({@link Reload}). Nothing here listens or touches the database; {@link Tollgate}
 * starts and stops. {@link #close()} stops what the components started (the rate limit's sweep, the
 * gateway's probes and deadline sweeps); {@link #retire()} stops the shared part of a set a reload
 * replaced, while the event loops finish their requests on it.
 */
final class Components implements AutoCloseable {
  /** The verifier's clock leeway (RFC 7519 §4.1.4 allows "a small leeway"); the revocation list keeps entries as long. */
  static final long CLOCK_LEEWAY_SECONDS = 30;

  final RevocationList revoked;
  final Routes routes;
  private final GatewayService gateway;
  private final RateLimit rateLimit;
  private final Spans spans;

  private Components(RevocationList revoked, Routes routes, GatewayService gateway, RateLimit rateLimit,
      Spans spans) {
    this.revoked = revoked;
    this.routes = routes;
    this.gateway = gateway;
    this.rateLimit = rateLimit;
    this.spans = spans;
  }

  /** The revocation list outlives every reload: the feed fills it, and it is what makes a revocation stick. */
  static RevocationList revocations(Metrics metrics, Database database) {
    RevocationList revoked = new RevocationList(CLOCK_LEEWAY_SECONDS);
    metrics.gauge("tollgate.revocations.live", "revoked tokens and families that may still be live", revoked::size);
    metrics.gauge("tollgate.db.pool.connections", "open database connections", () -> database.pool().size());
    return revoked;
  }

  /** {@code reloader} answers {@code POST /admin/reload}. */
  static Components build(Vertx vertx, TollgateConfig config, Database database, Storage storage,
      Prepared prepared, RevocationList revoked, Routes.Reloader reloader) {
    Crypto crypto = prepared.crypto();
    Metrics metrics = prepared.metrics();
    TokenAcceptor acceptor = TokenAcceptor.create(crypto.verifier(), revoked);
    TokenService tokens = TokenService.create(config.tokens(), config.security(), config.issuer(), config.audience(),
        config.consumerLogin().client(), storage, crypto.minter(), crypto.verifier(), prepared.hasher(),
        ClientSecretVerifier.create(prepared.hasher()), metrics.registry());
    Authorize authorize = Authorize.create(config.endpoints().authorization().get(0), config.security(),
        config.tokens().codeTtl(), storage, tokens.accounts());
    GatewayService gateway = GatewayService.create(vertx, config.routes(), acceptor, metrics.registry());
    AdminApi admin = AdminApi.create(storage, prepared.hasher(), acceptor, config.security().minPasswordLength());
    RateLimit rateLimit = RateLimit.create(vertx, config.security().rateLimit());
    Spans spans = prepared.spans();
    Routes routes = new Routes(config, database, tokens, authorize, crypto.keys().jwks(), gateway, admin, metrics,
        rateLimit, reloader, spans);
    return new Components(revoked, routes, gateway, rateLimit, spans);
  }

  int longestTimeoutMillis() {
    return gateway.longestTimeoutMillis();
  }

  /** A reload replaced these: the probes and the rate limit's sweep stop; the event loops close their own parts. */
  void retire() {
    gateway.retire();
    if (rateLimit != null) {
      rateLimit.close();
    }
  }

  @Override
  public void close() {
    gateway.close();
    if (rateLimit != null) {
      rateLimit.close();
    }
  }

  /** Exports the spans still queued, when spans are exported; after the servers have stopped. */
  Future<Void> flushSpans(Vertx vertx) {
    return spans == null ? Future.succeededFuture() : spans.close(vertx);
  }

  /**
   * What start-up prepares on a worker thread: key files, crypto providers and jjwt's service
   * loading, the JVM meters' MBean look-ups, argon2's native library, the OpenTelemetry SDK's classes
   * when spans are exported; each takes long enough to trip the blocked-thread check.
   */
  record Prepared(Crypto crypto, Metrics metrics, PasswordHasher hasher, Spans spans) {
    /** The same meters, hasher and span exporter with the keys of a reloaded configuration. */
    Prepared with(Crypto reloaded) {
      return new Prepared(reloaded, metrics, hasher, spans);
    }

    /** In parallel, on worker threads: start-up time is a target (issue 6). */
    static Future<Prepared> load(Vertx vertx, TollgateConfig config) {
      Future<Crypto> crypto = vertx.executeBlocking(() -> Crypto.load(config), false);
      Future<Metrics> metrics = vertx.executeBlocking(Metrics::create, false);
      Future<PasswordHasher> hasher =
          vertx.executeBlocking(() -> {
            NativeMemory.keepLargeBlocksMapped();
            return PasswordHasher.create(vertx, config.security().passwordHash());
          }, false);
      Future<Spans> spans = config.tracing().otlpEndpoint() == null ? Future.succeededFuture()
          : vertx.executeBlocking(() -> Spans.create(config.tracing()), false);
      return Future.all(crypto, metrics, hasher, spans)
          .map(all -> new Prepared(all.resultAt(0), all.resultAt(1), all.resultAt(2), all.resultAt(3)));
    }
  }

  /** Keys, signer and verifier. */
  record Crypto(SigningKeys keys, TokenMinter minter, AccessTokenVerifier verifier) {
    static Crypto load(TollgateConfig config) {
      CryptoProviders.install();
      SigningKeys keys = SigningKeys.load(config.tokens().signing(), config.dataDir());
      return new Crypto(keys, TokenMinter.create(keys, config.issuer(), config.audience()),
          AccessTokenVerifier.create(keys, config.issuer(), config.audience(), CLOCK_LEEWAY_SECONDS));
    }
  }
}
