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
  /** What vertx-sql-client's pool fails an acquisition with when its connection timeout passes. */
  private static final String ACQUIRE_TIMEOUT = "Timeout";
  private static final int FIRST_CONNECTION_ATTEMPTS = 6;

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
    return migrate(pool, FIRST_CONNECTION_ATTEMPTS)
        .map(version -> {
          database.migrated.set(true);
          return database;
        })
        .recover(err -> {
          // not waited for: vertx-sql-client 5.0.10-5.0.12 throws inside close() when a timed-out
          // request's connection is still being set up (a null lease in PoolRequest.complete), and
          // its future then never completes; the start must fail, not hang
          pool.close();
          return Future.failedFuture(err);
        });
  }

  /**
   * The first connection may take longer than the pool's 5 s on a machine under load (a fresh
   * embedded cluster, a database container still starting): a timed-out acquisition is tried
   * again, up to 30 s in all; any other failure ends the start at once.
   */
  private static Future<Integer> migrate(Pool pool, int attempts) {
    return Migrations.apply(pool).recover(err -> attempts > 1 && ACQUIRE_TIMEOUT.equals(err.getMessage())
        ? migrate(pool, attempts - 1) : Future.failedFuture(err));
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
