package io.tollgate.storage;

import static io.tollgate.storage.PgClientStore.array;

import io.tollgate.oauth.User;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
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
        .compose(updated -> signOut(conn, userId)));
  }

  /** Revokes every token of the user and ends the user's browser sessions: the old password is no key anymore. */
  private Future<Void> signOut(SqlConnection conn, String userId) {
    return revocation.ofUser(conn, userId)
        .compose(revoked -> conn.preparedQuery("DELETE FROM sessions WHERE user_id = $1").execute(Tuple.of(userId)))
        .mapEmpty();
  }

  @Override
  public Future<Void> upsertRole(String name, List<String> scopes) {
    return pool.preparedQuery("""
        INSERT INTO roles (name, scopes) VALUES ($1, $2)
        ON CONFLICT (name) DO UPDATE SET scopes = EXCLUDED.scopes, updated_at = now()""")
        .execute(Tuple.of(name, (Object) array(scopes)))
        .mapEmpty();
  }

  @Override
  public Future<Page<User>> list(String after, int limit) {
    return pool.preparedQuery("SELECT * FROM users WHERE $1::text IS NULL OR id > $1 ORDER BY id LIMIT $2")
        .execute(Tuple.of(after, limit + 1))
        .map(rows -> {
          List<User> users = new ArrayList<>(rows.size());
          rows.forEach(row -> users.add(toUser(row)));
          return Page.of(users, limit, User::id);
        });
  }

  @Override
  public Future<Change> create(User u) {
    // no conflict target: a taken id and a taken username are both a conflict
    return pool.preparedQuery("""
        INSERT INTO users (id, username, password_hash, roles, require_password_change)
        VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING""")
        .execute(Tuple.of(u.id(), u.username(), u.passwordHash(), array(u.roles()), u.requirePasswordChange()))
        .map(rows -> rows.rowCount() == 1 ? Change.DONE : Change.CONFLICT);
  }

  /** Taking a role away also revokes the user's tokens: they carry the scopes the role granted. */
  @Override
  public Future<Change> update(User u) {
    return pool.withTransaction(conn -> conn.preparedQuery("SELECT roles FROM users WHERE id = $1 FOR UPDATE")
            .execute(Tuple.of(u.id()))
            .compose(rows -> rows.size() == 0 ? Future.succeededFuture(Change.NOT_FOUND)
                : conn.preparedQuery("""
                    UPDATE users SET username = $2, roles = $3, require_password_change = $4, updated_at = now()
                    WHERE id = $1""")
                    .execute(Tuple.of(u.id(), u.username(), array(u.roles()), u.requirePasswordChange()))
                    .compose(updated -> u.roles().containsAll(List.of(rows.iterator().next().getArrayOfStrings("roles")))
                        ? Future.succeededFuture() : revocation.ofUser(conn, u.id()))
                    .map(Change.DONE)))
        .recover(PgErrors::conflictOnDuplicate);
  }

  @Override
  public Future<Change> resetPassword(String userId, String newPasswordHash) {
    return pool.withTransaction(conn -> conn.preparedQuery("""
            UPDATE users SET password_hash = $2, require_password_change = true, updated_at = now()
            WHERE id = $1 RETURNING username""").execute(Tuple.of(userId, newPasswordHash))
        .compose(rows -> rows.size() == 0 ? Future.succeededFuture(Change.NOT_FOUND)
            : conn.preparedQuery("DELETE FROM login_failures WHERE username = $1")
                .execute(Tuple.of(rows.iterator().next().getString("username")))
                .compose(cleared -> signOut(conn, userId))
                .map(Change.DONE)));
  }

  @Override
  public Future<Change> delete(String userId) {
    return pool.withTransaction(conn -> revocation.ofUser(conn, userId)
        .compose(revoked -> conn.preparedQuery("DELETE FROM users WHERE id = $1").execute(Tuple.of(userId)))
        .map(PgUserStore::doneIfOne));
  }

  @Override
  public Future<Change> revokeTokens(String userId) {
    return pool.withTransaction(conn -> conn.preparedQuery("SELECT 1 FROM users WHERE id = $1 FOR SHARE")
        .execute(Tuple.of(userId))
        .compose(rows -> rows.size() == 0 ? Future.succeededFuture(Change.NOT_FOUND)
            : signOut(conn, userId).map(Change.DONE)));
  }

  private static Change doneIfOne(RowSet<Row> rows) {
    return rows.rowCount() == 1 ? Change.DONE : Change.NOT_FOUND;
  }

  static User firstUser(RowSet<Row> rows) {
    return rows.size() == 0 ? null : toUser(rows.iterator().next());
  }

  private static User toUser(Row row) {
    return new User(row.getString("id"), row.getString("username"), row.getString("password_hash"),
        List.of(row.getArrayOfStrings("roles")), row.getBoolean("require_password_change"));
  }
}
