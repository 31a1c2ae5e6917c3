package io.tollgate.storage;

import io.vertx.core.Future;
import io.vertx.pgclient.PgException;

/** PostgreSQL errors that are answers, not failures. */
final class PgErrors {
  private static final String UNIQUE_VIOLATION = "23505";

  private PgErrors() {}

  /** A unique key already taken becomes {@link Change#CONFLICT}; anything else stays a failure. */
  static Future<Change> conflictOnDuplicate(Throwable failure) {
    if (failure instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState())) {
      return Future.succeededFuture(Change.CONFLICT);
    }
    return Future.failedFuture(failure);
  }
}
