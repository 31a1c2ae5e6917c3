package io.tollgate.storage;

import io.tollgate.oauth.Client;
import io.tollgate.oauth.GrantType;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.List;

final class PgClientStore implements ClientStore {
  private final Pool pool;

  PgClientStore(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<Client> find(String id) {
    return pool.preparedQuery("SELECT * FROM clients WHERE id = $1").execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? null : toClient(rows.iterator().next()));
  }

  @Override
  public Future<Void> upsert(Client c) {
    return pool.preparedQuery("""
        INSERT INTO clients (id, secret_hash, grant_type, scopes, default_scopes, redirect_uris,
                             refresh_tokens, is_public, access_ttl, refresh_ttl)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
        ON CONFLICT (id) DO UPDATE SET
          secret_hash = coalesce(EXCLUDED.secret_hash, clients.secret_hash),
          grant_type = EXCLUDED.grant_type, scopes = EXCLUDED.scopes,
          default_scopes = EXCLUDED.default_scopes, redirect_uris = EXCLUDED.redirect_uris,
          refresh_tokens = EXCLUDED.refresh_tokens, is_public = EXCLUDED.is_public,
          access_ttl = EXCLUDED.access_ttl, refresh_ttl = EXCLUDED.refresh_ttl, updated_at = now()
        """).execute(Tuple.wrap(new Object[] {c.id(), c.isPublic() ? null : c.secretHash(),
            c.grantType().value(), array(c.scopes()), c.defaultScopes() == null ? null : array(c.defaultScopes()),
            array(c.redirectUris()), c.refreshTokens(), c.isPublic(), c.accessTtl(), c.refreshTtl()}))
        .mapEmpty();
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
        row.getInteger("refresh_ttl"));
  }

  static String[] array(List<String> values) {
    return values.toArray(String[]::new);
  }
}
