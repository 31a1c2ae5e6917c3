package io.tollgate.storage;

import io.tollgate.config.TollgateConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.util.concurrent.atomic.AtomicBoolean;

/** The connection pool, with the schema migrated, and the readiness probe over it. */
public final class Database {
  private final Pool pool;
  private final PgConnectOptions connectOptions;
  private final AtomicBoolean migrated = new AtomicBoolean();

  private Database(Pool pool, PgConnectOptions connectOptions) {
    this.pool = pool;
    this.connectOptions = connectOptions;
  }

  /** Opens a pool on {@code url} and applies every pending migration. */
  public static Future<Database> open(Vertx vertx, String url, TollgateConfig.Database config) {
    PgConnectOptions options = PgConnectOptions.fromUri(url.replaceFirst("^postgres://", "postgresql://"))
        .setCachePreparedStatements(true)
        .setPipeliningLimit(256);
    Pool pool = PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(config.poolSize()).setShared(true).setName("tollgate")
            .setConnectionTimeout(5).setConnectionTimeoutUnit(java.util.concurrent.TimeUnit.SECONDS))
        .connectingTo(options)
        .using(vertx)
        .build();
    Database database = new Database(pool, options);
    return Migrations.apply(pool)
        .map(version -> {
          database.migrated.set(true);
          return database;
        })
        .recover(err -> pool.close().transform(closed -> Future.failedFuture(err)));
  }

  public Pool pool() {
    return pool;
  }

  public PgConnectOptions connectOptions() {
    return connectOptions;
  }

  /** Ready means: migrations done and the database answers now. */
  public Future<Void> ready() {
    if (!migrated.get()) {
      return Future.failedFuture("migrations not applied");
    }
    return pool.query("SELECT 1").execute().mapEmpty();
  }

  public Future<Void> close() {
    return pool.close();
  }
}
