package io.tollgate;

import io.tollgate.admin.AdminApi;
import io.tollgate.admin.Bootstrap;
import io.tollgate.config.BootstrapFile;
import io.tollgate.config.TollgateConfig;
import io.tollgate.crypto.ClientSecretVerifier;
import io.tollgate.crypto.PasswordHasher;
import io.tollgate.gateway.RouteTable;
import io.tollgate.gateway.VerifiedTokens;
import io.tollgate.ops.EchoBackend;
import io.tollgate.grants.TokenService;
import io.tollgate.storage.Database;
import io.tollgate.storage.EmbeddedPostgres;
import io.tollgate.storage.RevocationFeed;
import io.tollgate.storage.Revocations;
import io.tollgate.storage.Storage;
import io.tollgate.tokens.AccessTokenVerifier;
import io.tollgate.tokens.CryptoProviders;
import io.tollgate.tokens.RevocationList;
import io.tollgate.tokens.SigningKeys;
import io.tollgate.tokens.TokenMinter;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The composition root: config → database → services → HTTP servers. */
public final class Tollgate {
  private static final Logger log = LoggerFactory.getLogger(Tollgate.class);
  private static final long CLOCK_LEEWAY_SECONDS = 30;
  private static final long PRUNE_MILLIS = 60_000;

  private final Vertx vertx;
  private final TollgateConfig config;
  private final EmbeddedPostgres embedded;
  private final Database database;
  private final Services services;
  private final int port;
  private final String deploymentId;

  /** What runs beside the HTTP servers and is stopped with them. */
  private record Services(RevocationFeed feed, RevocationList revoked, long pruning) {}

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
    Future<EmbeddedPostgres> embedded = config.database().embedded()
        ? vertx.executeBlocking(() -> EmbeddedPostgres.start(config.dataDir(), true), false)
        : Future.succeededFuture(null);
    return embedded.compose(pg -> {
      String url = pg != null ? pg.url() : config.database().url();
      return Database.open(vertx, url, config.database())
          .compose(database -> deploy(vertx, config, pg, database))
          .onFailure(err -> {
            if (pg != null) {
              vertx.executeBlocking(() -> { pg.close(); return null; }, false);
            }
          });
    });
  }

  private static Future<Tollgate> deploy(Vertx vertx, TollgateConfig config, EmbeddedPostgres pg,
      Database database) {
    int instances = config.http().instances() > 0
        ? config.http().instances()
        : Runtime.getRuntime().availableProcessors();
    Storage storage = Storage.postgres(database.pool(), config.tokens().accessTtl());
    PasswordHasher hasher = PasswordHasher.create(vertx, config.security().passwordHash());
    RevocationList revoked = new RevocationList(CLOCK_LEEWAY_SECONDS);
    AtomicInteger port = new AtomicInteger();
    AtomicReference<Services> services = new AtomicReference<>();
    return vertx.executeBlocking(() -> Crypto.load(config), false)
        .compose(crypto -> BootstrapFile.load(vertx, config.bootstrap())
            .compose(file -> Bootstrap.apply(file, storage, hasher))
            .compose(applied -> RevocationFeed.start(vertx, database, storage.revocations(),
                r -> remember(revoked, r)))
            .map(feed -> {
              services.set(new Services(feed, revoked,
                  vertx.setPeriodic(PRUNE_MILLIS, id -> revoked.prune(System.currentTimeMillis() / 1000))));
              TokenService tokens = TokenService.create(config, storage, crypto.minter(), crypto.verifier(), hasher,
                  ClientSecretVerifier.create(hasher));
              AdminApi admin = AdminApi.create(storage, hasher, crypto.verifier(), revoked,
                  config.security().minPasswordLength());
              return new Routes(config, database, tokens, crypto.keys().jwks(),
                  new VerifiedTokens(crypto.verifier(), revoked), RouteTable.create(vertx, config.routes()), admin);
            }))
        .compose(routes -> config.dev().echoPort() < 0 ? Future.succeededFuture(routes)
            : EchoBackend.start(vertx, config.dev().echoPort()).map(echo -> routes))
        .compose(routes -> vertx.deployVerticle(() -> new HttpVerticle(config.http(), routes, port::set),
            new DeploymentOptions().setInstances(instances)))
        .map(id -> new Tollgate(vertx, config, pg, database, services.get(), port.get(), id))
        .recover(err -> stopServices(vertx, services.get())
            .eventually(database::close)
            .transform(closed -> Future.failedFuture(err)));
  }

  /** Keys, signer and verifier: file reads and provider set-up, so built on a worker thread. */
  private record Crypto(SigningKeys keys, TokenMinter minter, AccessTokenVerifier verifier) {
    static Crypto load(TollgateConfig config) {
      CryptoProviders.install();
      SigningKeys keys = SigningKeys.load(config.tokens().signing(), config.dataDir());
      return new Crypto(keys, TokenMinter.create(keys, config.issuer(), config.audience()),
          AccessTokenVerifier.create(keys, config.issuer(), config.audience(), CLOCK_LEEWAY_SECONDS));
    }
  }

  private static void remember(RevocationList list, Revocations.Revoked revocation) {
    switch (revocation.kind()) {
      case JTI -> list.revokeToken(revocation.id(), revocation.until());
      case FAMILY -> list.revokeFamily(revocation.id(), revocation.until());
    }
  }

  private static Future<Void> stopServices(Vertx vertx, Services services) {
    if (services == null) {
      return Future.succeededFuture();
    }
    vertx.cancelTimer(services.pruning());
    return services.feed().close();
  }

  public int port() {
    return port;
  }

  public TollgateConfig config() {
    return config;
  }

  /** The revocations this instance knows of (for tests and metrics). */
  public RevocationList revocations() {
    return services.revoked();
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
