package io.tollgate.storage;

import io.tollgate.oauth.Client;
import io.tollgate.oauth.GrantType;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * Every write of a client also runs {@code NOTIFY tollgate_clients} with its id, in the same
 * transaction (PostgreSQL delivers it at commit, and not at all on rollback), so that every
 * instance's {@link CachedClientStore} drops the old client.
 */
final class PgClientStore implements ClientStore {
  private static final String COLUMNS = """
      id, secret_hash, grant_type, scopes, default_scopes, redirect_uris, refresh_tokens, is_public,
      access_ttl, refresh_ttl, web_origins""";

  private final Pool pool;
  private final FamilyRevocation revocation;

  PgClientStore(Pool pool, FamilyRevocation revocation) {
    this.pool = pool;
    this.revocation = revocation;
  }

  @Override
  public Future<Client> find(String id) {
    return pool.preparedQuery("SELECT * FROM clients WHERE id = $1").execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? null : toClient(rows.iterator().next()));
  }

  @Override
  public Future<Void> upsert(Client c) {
    return pool.preparedQuery("""
        WITH written AS (
        INSERT INTO clients (id, secret_hash, grant_type, scopes, default_scopes, redirect_uris,
                             refresh_tokens, is_public, access_ttl, refresh_ttl, web_origins)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $12)
        ON CONFLICT (id) DO UPDATE SET
          secret_hash = coalesce(EXCLUDED.secret_hash, clients.secret_hash),
          grant_type = EXCLUDED.grant_type, scopes = EXCLUDED.scopes,
          default_scopes = EXCLUDED.default_scopes, redirect_uris = EXCLUDED.redirect_uris,
          refresh_tokens = EXCLUDED.refresh_tokens, is_public = EXCLUDED.is_public,
          access_ttl = EXCLUDED.access_ttl, refresh_ttl = EXCLUDED.refresh_ttl,
          web_origins = EXCLUDED.web_origins, updated_at = now()
        RETURNING id)
        SELECT pg_notify($11, id) FROM written""").execute(values(c))
        .mapEmpty();
  }

  @Override
  public Future<java.util.Set<String>> webOrigins() {
    return pool.query("SELECT DISTINCT origin FROM clients, unnest(web_origins) AS origin").execute()
        .map(rows -> {
          java.util.Set<String> origins = new java.util.HashSet<>();
          rows.forEach(row -> origins.add(row.getString(0)));
          return java.util.Set.copyOf(origins);
        });
  }

  @Override
  public Future<Page<Client>> list(String after, int limit) {
    return pool.preparedQuery("SELECT * FROM clients WHERE $1::text IS NULL OR id > $1 ORDER BY id LIMIT $2")
        .execute(Tuple.of(after, limit + 1))
        .map(rows -> {
          List<Client> clients = new ArrayList<>(rows.size());
          rows.forEach(row -> clients.add(toClient(row)));
          return Page.of(clients, limit, Client::id);
        });
  }

  @Override
  public Future<Change> create(Client c) {
    return pool.preparedQuery("WITH written AS (INSERT INTO clients (" + COLUMNS + """
        ) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $12) ON CONFLICT (id) DO NOTHING RETURNING id)
        SELECT pg_notify($11, id) FROM written""")
        .execute(values(c))
        .map(rows -> rows.size() == 1 ? Change.DONE : Change.CONFLICT);
  }

  /** Narrowing the scopes or changing the grant also revokes the client's tokens, which were issued under the old terms. */
  @Override
  public Future<Change> update(Client c) {
    return pool.withTransaction(conn -> conn.preparedQuery("SELECT * FROM clients WHERE id = $1 FOR UPDATE")
        .execute(Tuple.of(c.id()))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.succeededFuture(Change.NOT_FOUND);
          }
          Client before = toClient(rows.iterator().next());
          boolean narrowed = !c.scopes().containsAll(before.scopes()) || c.grantType() != before.grantType();
          return announce(conn, c.id()).compose(announced -> conn.preparedQuery("""
              UPDATE clients SET grant_type = $2, scopes = $3, default_scopes = $4, redirect_uris = $5,
                refresh_tokens = $6, is_public = $7, access_ttl = $8, refresh_ttl = $9, web_origins = $10,
                updated_at = now()
              WHERE id = $1""")
              .execute(Tuple.wrap(new Object[] {c.id(), c.grantType().value(), array(c.scopes()),
                  c.defaultScopes() == null ? null : array(c.defaultScopes()), array(c.redirectUris()),
                  c.refreshTokens(), c.isPublic(), c.accessTtl(), c.refreshTtl(), array(c.webOrigins())})))
              .compose(updated -> narrowed ? revocation.ofClient(conn, c.id()) : Future.succeededFuture())
              .map(Change.DONE);
        }));
  }

  @Override
  public Future<Change> replaceSecret(String id, String secretHash) {
    return pool.preparedQuery("""
        WITH written AS (
          UPDATE clients SET secret_hash = $2, updated_at = now() WHERE id = $1 AND NOT is_public RETURNING id)
        SELECT pg_notify($3, id) FROM written""")
        .execute(Tuple.of(id, secretHash, CHANNEL))
        .map(rows -> rows.size() == 1 ? Change.DONE : Change.NOT_FOUND);
  }

  @Override
  public Future<Change> delete(String id) {
    // revoke first: the announcement reads the client's access-token lifetime; the client's own
    // announcement goes before, so that an instance drops the client before it sees the revocations
    return pool.withTransaction(conn -> announce(conn, id)
        .compose(announced -> revocation.ofClient(conn, id))
        .compose(revoked -> conn.preparedQuery("DELETE FROM clients WHERE id = $1").execute(Tuple.of(id)))
        .map(PgClientStore::doneIfOne));
  }

  @Override
  public Future<Change> revokeTokens(String id) {
    return pool.withTransaction(conn -> conn.preparedQuery("SELECT 1 FROM clients WHERE id = $1 FOR SHARE")
        .execute(Tuple.of(id))
        .compose(rows -> rows.size() == 0 ? Future.succeededFuture(Change.NOT_FOUND)
            : revocation.ofClient(conn, id).map(Change.DONE)));
  }

  /** NOTIFY in {@code conn}'s transaction: sent at its commit, dropped by its rollback. */
  private static Future<Void> announce(io.vertx.sqlclient.SqlConnection conn, String id) {
    return conn.preparedQuery("SELECT pg_notify($1, $2)").execute(Tuple.of(CHANNEL, id)).mapEmpty();
  }

  private static Change doneIfOne(io.vertx.sqlclient.RowSet<Row> rows) {
    return rows.rowCount() == 1 ? Change.DONE : Change.NOT_FOUND;
  }

  private static Tuple values(Client c) {
    return Tuple.wrap(new Object[] {c.id(), c.isPublic() ? null : c.secretHash(),
        c.grantType().value(), array(c.scopes()), c.defaultScopes() == null ? null : array(c.defaultScopes()),
        array(c.redirectUris()), c.refreshTokens(), c.isPublic(), c.accessTtl(), c.refreshTtl(), CHANNEL,
        array(c.webOrigins())});
  }

  private static Client toClient(Row row) {
    String[] defaults = row.getArrayOfStrings("default_scopes");
    return new Client(
        row.getString("id"),
        row.getString("secret_hash"),
        GrantType.parse(row.getString("grant_type")).orElseThrow(),
        List.of(row.getArrayOfStrings("scopes")),
        defaults == null ? null : List.of(defaults),
        List.of(row.getArrayOfStrings("redirect_uris")),
        row.getBoolean("refresh_tokens"),
        row.getBoolean("is_public"),
        row.getInteger("access_ttl"),
        row.getInteger("refresh_ttl"),
        List.of(row.getArrayOfStrings("web_origins")));
  }

  static String[] array(List<String> values) {
    return values.toArray(String[]::new);
  }
}
