package io.tollgate;

import io.tollgate.admin.Bootstrap;
import io.tollgate.authorize.Authorize;
import io.tollgate.config.BootstrapFile;
import io.tollgate.config.TollgateConfig;
import io.tollgate.crypto.ClientSecretVerifier;
import io.tollgate.crypto.PasswordHasher;
import io.tollgate.gateway.VerifiedTokens;
import io.tollgate.ops.EchoBackend;
import io.tollgate.grants.TokenService;
import io.tollgate.storage.Database;
import io.tollgate.storage.EmbeddedPostgres;
import io.tollgate.storage.Storage;
import io.tollgate.tokens.AccessTokenVerifier;
import io.tollgate.tokens.CryptoProviders;
import io.tollgate.tokens.SigningKeys;
import io.tollgate.tokens.TokenMinter;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The composition root: config → database → services → HTTP servers. */
public final class Tollgate {
  private static final Logger log = LoggerFactory.getLogger(Tollgate.class);

  private final Vertx vertx;
  private final TollgateConfig config;
  private final EmbeddedPostgres embedded;
  private final Database database;
  private final int port;
  private final String deploymentId;

  private Tollgate(Vertx vertx, TollgateConfig config, EmbeddedPostgres embedded, Database database,
      int port, String deploymentId) {
    this.vertx = vertx;
    this.config = config;
    this.embedded = embedded;
    this.database = database;
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
    Storage storage = Storage.postgres(database.pool());
    PasswordHasher hasher = PasswordHasher.create(vertx, config.security().passwordHash());
    AtomicInteger port = new AtomicInteger();
    return vertx.executeBlocking(() -> {
          CryptoProviders.install();
          return SigningKeys.load(config.tokens().signing(), config.dataDir());
        }, false)
        .compose(keys -> BootstrapFile.load(vertx, config.bootstrap())
            .compose(file -> Bootstrap.apply(file, storage, hasher))
            .map(applied -> {
              AccessTokenVerifier verifier = AccessTokenVerifier.create(keys, config.issuer(), config.audience(), 30);
              TokenService tokens = TokenService.create(config, storage,
                  TokenMinter.create(keys, config.issuer(), config.audience()), verifier, hasher,
                  ClientSecretVerifier.create(hasher));
              return new Routes(config, database, tokens, Authorize.create(config, storage, hasher), keys.jwks(),
                  new VerifiedTokens(verifier));
            }))
        .compose(routes -> config.dev().echoPort() < 0 ? Future.succeededFuture(routes)
            : EchoBackend.start(vertx, config.dev().echoPort()).map(echo -> routes))
        .compose(routes -> vertx.deployVerticle(() -> new HttpVerticle(config.http(), routes, port::set),
            new DeploymentOptions().setInstances(instances)))
        .map(id -> new Tollgate(vertx, config, pg, database, port.get(), id))
        .recover(err -> database.close().transform(closed -> Future.failedFuture(err)));
  }

  public int port() {
    return port;
  }

  public TollgateConfig config() {
    return config;
  }

  /** Stops accepting, lets the servers shut down, closes the pool and the embedded database. */
  public Future<Void> stop() {
    return vertx.undeploy(deploymentId)
        .eventually(database::close)
        .eventually(() -> embedded == null
            ? Future.succeededFuture()
            : vertx.executeBlocking(() -> { embedded.close(); return null; }, false))
        .mapEmpty();
  }
}
