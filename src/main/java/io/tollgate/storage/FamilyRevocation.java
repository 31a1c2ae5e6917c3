package io.tollgate.storage;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/**
 * Revokes token families and announces each one, with the moment after which none of its access
 * tokens can still be live, so that gateways keep it in memory no longer than needed.
 */
final class FamilyRevocation {
  private static final String REVOKE = """
      WITH revoked AS (
        UPDATE token_families SET revoked_at = now() WHERE %s AND revoked_at IS NULL
        RETURNING id, client_id, revoked_at)
      SELECT pg_notify($2, 'family:' || floor(extract(epoch FROM r.revoked_at
                 + make_interval(secs => coalesce(c.access_ttl, $3))))::bigint || ':' || r.id)
      FROM revoked r LEFT JOIN clients c ON c.id = r.client_id""";
  private static final String BY_ID = REVOKE.formatted("id = $1");
  private static final String BY_USER = REVOKE.formatted("user_id = $1");
  private static final String BY_CLIENT = REVOKE.formatted("client_id = $1");
  private static final String BY_ROLE = REVOKE.formatted("user_id IN (SELECT id FROM users WHERE $1 = ANY(roles))");

  private final int accessTtl;

  FamilyRevocation(int accessTtl) {
    this.accessTtl = accessTtl;
  }

  Future<Void> family(SqlConnection conn, java.util.UUID familyId) {
    return run(conn, BY_ID, familyId);
  }

  Future<Void> ofUser(SqlConnection conn, String userId) {
    return run(conn, BY_USER, userId);
  }

  Future<Void> ofClient(SqlConnection conn, String clientId) {
    return run(conn, BY_CLIENT, clientId);
  }

  /** Every family of every user who holds the role. */
  Future<Void> ofRole(SqlConnection conn, String role) {
    return run(conn, BY_ROLE, role);
  }

  private Future<Void> run(SqlConnection conn, String sql, Object key) {
    return conn.preparedQuery(sql).execute(Tuple.of(key, Revocations.CHANNEL, accessTtl)).mapEmpty();
  }
}
