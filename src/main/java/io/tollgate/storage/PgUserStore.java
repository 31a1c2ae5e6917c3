package io.tollgate.storage;

import static io.tollgate.storage.PgClientStore.array;

import io.tollgate.oauth.User;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

final class PgUserStore implements UserStore {
  private final Pool pool;
  private final FamilyRevocation revocation;

  PgUserStore(Pool pool, FamilyRevocation revocation) {
    this.pool = pool;
    this.revocation = revocation;
  }

  @Override
  public Future<User> findByUsername(String username) {
    return pool.preparedQuery("SELECT * FROM users WHERE username = $1").execute(Tuple.of(username))
        .map(PgUserStore::firstUser);
  }

  @Override
  public Future<User> findById(String id) {
    return pool.preparedQuery("SELECT * FROM users WHERE id = $1").execute(Tuple.of(id))
        .map(PgUserStore::firstUser);
  }

  @Override
  public Future<Set<String>> scopesOf(List<String> roles) {
    return pool.preparedQuery("SELECT DISTINCT unnest(scopes) FROM roles WHERE name = ANY($1)")
        .execute(Tuple.of(array(roles)))
        .map(rows -> {
          Set<String> scopes = new LinkedHashSet<>();
          rows.forEach(row -> scopes.add(row.getString(0)));
          return scopes;
        });
  }

  @Override
  public Future<Boolean> createIfAbsent(User u) {
    return pool.preparedQuery("""
        INSERT INTO users (id, username, password_hash, roles, require_password_change)
        VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING""")
        .execute(Tuple.of(u.id(), u.username(), u.passwordHash(), array(u.roles()), u.requirePasswordChange()))
        .map(rows -> rows.rowCount() == 1);
  }

  @Override
  public Future<Void> updateProfile(User u) {
    return pool.preparedQuery("""
        UPDATE users SET username = $2, roles = $3, updated_at = now() WHERE id = $1""")
        .execute(Tuple.of(u.id(), u.username(), (Object) array(u.roles())))
        .mapEmpty();
  }

  @Override
  public Future<Void> changePassword(String userId, String newPasswordHash) {
    return pool.withTransaction(conn -> conn.preparedQuery("""
            UPDATE users SET password_hash = $2, require_password_change = false, updated_at = now()
            WHERE id = $1""").execute(Tuple.of(userId, newPasswordHash))
        .compose(updated -> revocation.ofUser(conn, userId))
        // a browser logged in with the old password is logged out too
        .compose(revoked -> conn.preparedQuery("DELETE FROM sessions WHERE user_id = $1").execute(Tuple.of(userId)))
        .mapEmpty());
  }

  @Override
  public Future<Void> upsertRole(String name, List<String> scopes) {
    return pool.preparedQuery("""
        INSERT INTO roles (name, scopes) VALUES ($1, $2)
        ON CONFLICT (name) DO UPDATE SET scopes = EXCLUDED.scopes, updated_at = now()""")
        .execute(Tuple.of(name, (Object) array(scopes)))
        .mapEmpty();
  }

  static User firstUser(RowSet<Row> rows) {
    if (rows.size() == 0) {
      return null;
    }
    Row row = rows.iterator().next();
    return new User(row.getString("id"), row.getString("username"), row.getString("password_hash"),
        List.of(row.getArrayOfStrings("roles")), row.getBoolean("require_password_change"));
  }
}
