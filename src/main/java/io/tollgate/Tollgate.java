package io.tollgate;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tollgate.admin.AdminApi;
import io.tollgate.admin.Bootstrap;
import io.tollgate.authorize.Authorize;
import io.tollgate.config.TollgateConfig;
import io.tollgate.crypto.ClientSecretVerifier;
import io.tollgate.crypto.PasswordHasher;
import io.tollgate.gateway.GatewayService;
import io.tollgate.grants.TokenService;
import io.tollgate.ops.EchoBackend;
import io.tollgate.ops.Metrics;
import io.tollgate.ops.NativeMemory;
import io.tollgate.ops.RateLimit;
import io.tollgate.storage.Database;
import io.tollgate.storage.EmbeddedPostgres;
import io.tollgate.storage.Purge;
import io.tollgate.storage.RevocationFeed;
import io.tollgate.storage.Storage;
import io.tollgate.tokens.AccessTokenVerifier;
import io.tollgate.tokens.CryptoProviders;
import io.tollgate.tokens.RevocationList;
import io.tollgate.tokens.SigningKeys;
import io.tollgate.tokens.TokenAcceptor;
import io.tollgate.tokens.TokenMinter;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** The composition root: config → database → services → HTTP servers. */
public final class Tollgate {
  private static final long CLOCK_LEEWAY_SECONDS = 30;
  private static final long PRUNE_MILLIS = 60_000;
  /**
   * Expired rows only cost space, and a pass over a quiet table is a few index probes: every five
   * minutes keeps the tables near their live size without a setting to tune.
   */
  private static final long PURGE_MILLIS = 300_000;
  /** Native memory freed by the JIT and by load peaks goes back to the system within half a minute. */
  private static final long TRIM_MILLIS = 30_000;

  private final Vertx vertx;
  private final TollgateConfig config;
  private final EmbeddedPostgres embedded;
  private final Database database;
  private final Services services;
  private final int port;
  private final String deploymentId;

  /** What runs beside the public HTTP servers and is stopped after them. */
  private record Services(RevocationFeed feed, long pruning, long purging, long trimming, Metrics metrics,
      HttpServer management) {

    Services withManagement(HttpServer server) {
      return new Services(feed, pruning, purging, trimming, metrics, server);
    }
  }

  private Tollgate(Vertx vertx, TollgateConfig config, EmbeddedPostgres embedded, Database database,
      Services services, int port, String deploymentId) {
    this.vertx = vertx;
    this.config = config;
    this.embedded = embedded;
    this.database = database;
    this.services = services;
    this.port = port;
    this.deploymentId = deploymentId;
  }

  public static Future<Tollgate> start(Vertx vertx, TollgateConfig config) {
    // keys, crypto providers, meters and argon2 need no database: they load while it starts (issue 6)
    Future<Prepared> prepared = Prepared.load(vertx, config);
    Future<EmbeddedPostgres> embedded = config.database().embedded()
        ? vertx.executeBlocking(() -> EmbeddedPostgres.start(config.dataDir(), true), false)
        : Future.succeededFuture(null);
    return embedded.compose(pg -> {
      String url = pg != null ? pg.url() : config.database().url();
      return Database.open(vertx, url, config.database())
          .compose(database -> deploy(vertx, config, pg, database, prepared))
          .onFailure(err -> {
            if (pg != null) {
              vertx.executeBlocking(() -> { pg.close(); return null; }, false);
            }
          });
    });
  }

  private static Future<Tollgate> deploy(Vertx vertx, TollgateConfig config, EmbeddedPostgres pg,
      Database database, Future<Prepared> loading) {
    Storage storage = Storage.postgres(database.pool(), config.tokens().accessTtl());
    Purge purge = Purge.postgres(database.pool(), config.tokens().accessTtl(),
        config.security().login().lockSeconds());
    RevocationList revoked = new RevocationList(CLOCK_LEEWAY_SECONDS);
    AtomicReference<Services> services = new AtomicReference<>();
    AtomicInteger port = new AtomicInteger();
    return loading
        .compose(prepared -> Bootstrap.run(vertx, config.bootstrap(), config.dataDir(), storage, prepared.hasher())
            .compose(applied -> RevocationFeed.start(vertx, database, storage.revocations(), revoked))
            .map(feed -> {
              services.set(new Services(feed,
                  vertx.setPeriodic(PRUNE_MILLIS, id -> revoked.prune(System.currentTimeMillis() / 1000)),
                  vertx.setPeriodic(PURGE_MILLIS, id -> purge.run()),
                  vertx.setPeriodic(TRIM_MILLIS, id -> vertx.executeBlocking(NativeMemory::trim, false)),
                  prepared.metrics(), null));
              return routes(vertx, config, database, storage, revoked, prepared);
            }))
        .compose(routes -> config.dev().echoPort() < 0 ? Future.succeededFuture(routes)
            : EchoBackend.start(vertx, config.dev().echoPort()).map(echo -> routes))
        .compose(routes -> management(vertx, config, routes)
            .map(server -> {
              services.set(services.get().withManagement(server));
              return routes;
            }))
        .compose(routes -> vertx.deployVerticle(() -> new HttpVerticle(config.http(), routes, port::set),
            new DeploymentOptions().setInstances(instances(config))))
        .map(id -> new Tollgate(vertx, config, pg, database, services.get(), port.get(), id))
        .recover(err -> stopServices(vertx, services.get())
            .eventually(database::close)
            .transform(closed -> Future.failedFuture(err)));
  }

  /** The services behind the routes, each built once and shared by every event loop. */
  private static Routes routes(Vertx vertx, TollgateConfig config, Database database, Storage storage,
      RevocationList revoked, Prepared prepared) {
    Crypto crypto = prepared.crypto();
    PasswordHasher hasher = prepared.hasher();
    MeterRegistry registry = prepared.metrics().registry();
    Gauge.builder("tollgate.revocations.live", revoked, RevocationList::size)
        .description("revoked tokens and families that may still be live").register(registry);
    Gauge.builder("tollgate.db.pool.connections", database.pool(), pool -> pool.size())
        .description("open database connections").register(registry);
    TokenService tokens = TokenService.create(config, storage, crypto.minter(), crypto.verifier(), hasher,
        ClientSecretVerifier.create(hasher), registry);
    TokenAcceptor acceptor = TokenAcceptor.create(crypto.verifier(), revoked);
    GatewayService gateway = GatewayService.create(vertx, config, acceptor, registry);
    AdminApi admin = AdminApi.create(storage, hasher, acceptor, config.security().minPasswordLength());
    return new Routes(config, database, tokens, Authorize.create(config, storage, hasher), crypto.keys().jwks(),
        gateway, admin, prepared.metrics(), RateLimit.create(vertx, config.security().rateLimit()));
  }

  private static int instances(TollgateConfig config) {
    return config.http().instances() > 0 ? config.http().instances() : Runtime.getRuntime().availableProcessors();
  }

  /** The management listener, when configured: one server, on one event loop, for the scraper. */
  private static Future<HttpServer> management(Vertx vertx, TollgateConfig config, Routes routes) {
    if (config.management() == null) {
      return Future.succeededFuture(null);
    }
    return vertx.createHttpServer().requestHandler(routes.management(vertx))
        .listen(config.management().port(), config.management().host());
  }

  /**
   * What start-up prepares on a worker thread: key files, crypto providers and jjwt's service
   * loading, the JVM meters' MBean look-ups, argon2's native library; each takes long enough to
   * trip the blocked-thread check.
   */
  private record Prepared(Crypto crypto, Metrics metrics, PasswordHasher hasher) {
    /** The three in parallel, on worker threads: start-up time is a target (issue 6). */
    static Future<Prepared> load(Vertx vertx, TollgateConfig config) {
      Future<Crypto> crypto = vertx.executeBlocking(() -> Crypto.load(config), false);
      Future<Metrics> metrics = vertx.executeBlocking(Metrics::create, false);
      Future<PasswordHasher> hasher =
          vertx.executeBlocking(() -> {
            NativeMemory.keepLargeBlocksMapped();
            return PasswordHasher.create(vertx, config.security().passwordHash());
          }, false);
      return Future.all(crypto, metrics, hasher)
          .map(all -> new Prepared(all.resultAt(0), all.resultAt(1), all.resultAt(2)));
    }
  }

  /** Keys, signer and verifier. */
  private record Crypto(SigningKeys keys, TokenMinter minter, AccessTokenVerifier verifier) {
    static Crypto load(TollgateConfig config) {
      CryptoProviders.install();
      SigningKeys keys = SigningKeys.load(config.tokens().signing(), config.dataDir());
      return new Crypto(keys, TokenMinter.create(keys, config.issuer(), config.audience()),
          AccessTokenVerifier.create(keys, config.issuer(), config.audience(), CLOCK_LEEWAY_SECONDS));
    }
  }

  private static Future<Void> stopServices(Vertx vertx, Services services) {
    if (services == null) {
      return Future.succeededFuture();
    }
    vertx.cancelTimer(services.pruning());
    vertx.cancelTimer(services.purging());
    vertx.cancelTimer(services.trimming());
    Future<Void> management = services.management() == null ? Future.succeededFuture()
        : services.management().close();
    return management.eventually(() -> services.feed().close()).onComplete(done -> services.metrics().close());
  }

  public int port() {
    return port;
  }

  /** The management listener's port, or -1 when there is none. */
  public int managementPort() {
    return services.management() == null ? -1 : services.management().actualPort();
  }

  public TollgateConfig config() {
    return config;
  }

  /** Stops accepting, lets the servers shut down, closes the pool and the embedded database. */
  public Future<Void> stop() {
    return vertx.undeploy(deploymentId)
        .eventually(() -> stopServices(vertx, services))
        .eventually(database::close)
        .eventually(() -> embedded == null
            ? Future.succeededFuture()
            : vertx.executeBlocking(() -> { embedded.close(); return null; }, false))
        .mapEmpty();
  }
}
