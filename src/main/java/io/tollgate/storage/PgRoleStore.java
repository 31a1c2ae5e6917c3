package io.tollgate.storage;

import static io.tollgate.storage.PgClientStore.array;

import io.tollgate.oauth.Role;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

final class PgRoleStore implements RoleStore {
  private final Pool pool;
  private final FamilyRevocation revocation;

  PgRoleStore(Pool pool, FamilyRevocation revocation) {
    this.pool = pool;
    this.revocation = revocation;
  }

  @Override
  public Future<Role> find(String name) {
    return pool.preparedQuery("SELECT name, scopes FROM roles WHERE name = $1").execute(Tuple.of(name))
        .map(rows -> rows.size() == 0 ? null : toRole(rows.iterator().next()));
  }

  @Override
  public Future<Page<Role>> list(String after, int limit) {
    return pool.preparedQuery("""
        SELECT name, scopes FROM roles WHERE $1::text IS NULL OR name > $1 ORDER BY name LIMIT $2""")
        .execute(Tuple.of(after, limit + 1))
        .map(rows -> {
          List<Role> roles = new ArrayList<>(rows.size());
          rows.forEach(row -> roles.add(toRole(row)));
          return Page.of(roles, limit, Role::name);
        });
  }

  @Override
  public Future<List<String>> unknown(List<String> names) {
    if (names.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return pool.preparedQuery("SELECT name FROM roles WHERE name = ANY($1)").execute(Tuple.of(array(names)))
        .map(rows -> {
          Set<String> known = new HashSet<>();
          rows.forEach(row -> known.add(row.getString(0)));
          return names.stream().filter(name -> !known.contains(name)).toList();
        });
  }

  @Override
  public Future<Change> create(Role role) {
    return pool.preparedQuery("INSERT INTO roles (name, scopes) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING")
        .execute(Tuple.of(role.name(), (Object) array(role.scopes())))
        .map(rows -> rows.rowCount() == 1 ? Change.DONE : Change.CONFLICT);
  }

  @Override
  public Future<Change> update(Role role) {
    return pool.withTransaction(conn -> conn.preparedQuery("SELECT scopes FROM roles WHERE name = $1 FOR UPDATE")
        .execute(Tuple.of(role.name()))
        .compose(rows -> rows.size() == 0 ? Future.succeededFuture(Change.NOT_FOUND)
            : conn.preparedQuery("UPDATE roles SET scopes = $2, updated_at = now() WHERE name = $1")
                .execute(Tuple.of(role.name(), (Object) array(role.scopes())))
                .compose(updated -> role.scopes().containsAll(List.of(rows.iterator().next().getArrayOfStrings("scopes")))
                    ? Future.succeededFuture() : revocation.ofRole(conn, role.name()))
                .map(Change.DONE)));
  }

  @Override
  public Future<Change> delete(String name) {
    return pool.withTransaction(conn -> conn.preparedQuery("DELETE FROM roles WHERE name = $1")
        .execute(Tuple.of(name))
        .compose(deleted -> deleted.rowCount() == 0 ? Future.succeededFuture(Change.NOT_FOUND)
            : revocation.ofRole(conn, name)
                .compose(revoked -> conn.preparedQuery("""
                    UPDATE users SET roles = array_remove(roles, $1), updated_at = now() WHERE $1 = ANY(roles)""")
                    .execute(Tuple.of(name)))
                .map(Change.DONE)));
  }

  private static Role toRole(Row row) {
    return new Role(row.getString("name"), List.of(row.getArrayOfStrings("scopes")));
  }
}
