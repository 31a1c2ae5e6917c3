package io.tollgate.storage;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the numbered scripts {@code db/migration/V1.sql, V2.sql, ...} that the database has not
 * seen yet, all in one transaction under an advisory lock, so that several instances starting
 * together apply each script exactly once.
 */
final class Migrations {
  private static final Logger log = LoggerFactory.getLogger(Migrations.class);
  private static final long LOCK_ID = 0x70_11_6a_7eL;

  private Migrations() {}

  static Future<Integer> apply(Pool pool) {
    List<String> scripts = scripts();
    // client_min_messages: "relation already exists, skipping" is expected at every start, not news
    return pool.withTransaction(conn -> conn.query("SET LOCAL client_min_messages = warning").execute()
        .compose(quiet -> conn.query("SELECT pg_advisory_xact_lock(" + LOCK_ID + ")").execute())
        .compose(locked -> conn.query("CREATE TABLE IF NOT EXISTS schema_version ("
            + "version int PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())").execute())
        .compose(created -> conn.query("SELECT coalesce(max(version), 0) FROM schema_version").execute())
        .map(rows -> rows.iterator().next().getInteger(0))
        .compose(current -> applyFrom(conn, scripts, current)));
  }

  private static Future<Integer> applyFrom(SqlConnection conn, List<String> scripts, int current) {
    Future<Integer> chain = Future.succeededFuture(current);
    for (int version = current + 1; version <= scripts.size(); version++) {
      int v = version;
      String sql = scripts.get(v - 1);
      chain = chain.compose(previous -> conn.query(sql).execute()
          .compose(done -> conn.query("INSERT INTO schema_version(version) VALUES (" + v + ")").execute())
          .map(done -> {
            log.info("applied schema migration V{}", v);
            return v;
          }));
    }
    return chain;
  }

  private static List<String> scripts() {
    List<String> scripts = new ArrayList<>();
    ClassLoader loader = Migrations.class.getClassLoader();
    for (int version = 1; ; version++) {
      try (InputStream in = loader.getResourceAsStream("db/migration/V" + version + ".sql")) {
        if (in == null) {
          return scripts;
        }
        scripts.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
