package io.tollgate.storage;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/**
 * Revokes token families and announces each one, with the moment after which none of its access
 * tokens can still be live, so that gateways keep it in memory no longer than needed. Revoking a
 * user's or client's tokens also sets their not-before mark, which reaches the access tokens of
 * grants that started no family.
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

  /** The not-before marker of users (payload {@code user:until:notBeforeMillis:id}), every access TTL considered. */
  private static final String MARK_USERS = """
      WITH marked AS (UPDATE users SET tokens_revoked_at = now() WHERE %s RETURNING id, tokens_revoked_at AS at)
      SELECT pg_notify($2, 'user:' || floor(extract(epoch FROM m.at + make_interval(secs => t.ttl)))::bigint
                 || ':' || floor(extract(epoch FROM m.at) * 1000)::bigint || ':' || m.id)
      FROM marked m, (SELECT greatest($3, coalesce(max(access_ttl), 0)) AS ttl FROM clients) t""";
  private static final String MARK_USER = MARK_USERS.formatted("id = $1");
  private static final String MARK_ROLE = MARK_USERS.formatted("$1 = ANY(roles)");
  private static final String MARK_CLIENT = """
      WITH marked AS (UPDATE clients SET tokens_revoked_at = now() WHERE id = $1
                      RETURNING id, tokens_revoked_at AS at, access_ttl)
      SELECT pg_notify($2, 'client:' || floor(extract(epoch FROM at + make_interval(secs => coalesce(access_ttl, $3))))::bigint
                 || ':' || floor(extract(epoch FROM at) * 1000)::bigint || ':' || id)
      FROM marked""";

  private final int accessTtl;

  FamilyRevocation(int accessTtl) {
    this.accessTtl = accessTtl;
  }

  Future<Void> family(SqlConnection conn, java.util.UUID familyId) {
    return run(conn, BY_ID, familyId);
  }

  Future<Void> ofUser(SqlConnection conn, String userId) {
    return run(conn, BY_USER, userId).compose(done -> run(conn, MARK_USER, userId));
  }

  Future<Void> ofClient(SqlConnection conn, String clientId) {
    return run(conn, BY_CLIENT, clientId).compose(done -> run(conn, MARK_CLIENT, clientId));
  }

  /** Every family of every user who holds the role. */
  Future<Void> ofRole(SqlConnection conn, String role) {
    return run(conn, BY_ROLE, role).compose(done -> run(conn, MARK_ROLE, role));
  }

  private Future<Void> run(SqlConnection conn, String sql, Object key) {
    return conn.preparedQuery(sql).execute(Tuple.of(key, Revocations.CHANNEL, accessTtl)).mapEmpty();
  }
}
