package io.tollgate;

import io.tollgate.storage.EmbeddedPostgres;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One PostgreSQL per test run (the embedded one, or {@code TOLLGATE_TEST_DATABASE_URL}), and a fresh
 * database in it for each test class.
 */
public final class TestDatabases {
  private static final AtomicInteger counter = new AtomicInteger();
  private static String serverUrl;

  private TestDatabases() {}

  /** The URL of a new, empty database. */
  public static synchronized String fresh(String name) {
    String server = server();
    String database = ("t" + counter.incrementAndGet() + "_" + name + "_" + ProcessHandle.current().pid())
        .toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    Vertx vertx = Vertx.vertx();
    try {
      Pool pool = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(server)).using(vertx).build();
      pool.query("CREATE DATABASE " + database).execute().eventually(pool::close).await();
    } finally {
      vertx.close().await();
    }
    return server.substring(0, server.lastIndexOf('/') + 1) + database;
  }

  private static String server() {
    if (serverUrl == null) {
      String external = System.getenv("TOLLGATE_TEST_DATABASE_URL");
      if (external != null && !external.isBlank()) {
        serverUrl = external;
      } else {
        try {
          Path dir = Files.createTempDirectory("tollgate-test-pg");
          serverUrl = EmbeddedPostgres.start(dir, false).url();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    return serverUrl;
  }
}
