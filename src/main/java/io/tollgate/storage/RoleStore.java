package io.tollgate.storage;

import io.tollgate.oauth.Role;
import io.vertx.core.Future;
import java.util.List;

/** Roles and the scopes they grant (README, "Admin API"). */
public interface RoleStore {
  /** The role, or null. */
  Future<Role> find(String name);

  /** The roles in name order, {@code limit} at most, after {@code after} (null: from the start). */
  Future<Page<Role>> list(String after, int limit);

  /** Those of {@code names} that are not roles, in the given order. */
  Future<List<String>> unknown(List<String> names);

  /** Creates the role; {@link Change#CONFLICT} when the name is taken. */
  Future<Change> create(Role role);

  /** Replaces the scopes of an existing role; removing a scope revokes the tokens of every user holding the role. */
  Future<Change> update(Role role);

  /**
   * Deletes the role, revokes the tokens of every user who held it and takes it from them, in one
   * transaction, so that a role created later under the same name grants nothing to anyone by surprise.
   */
  Future<Change> delete(String name);
}
