package io.tollgate.storage;

import io.tollgate.oauth.User;
import io.vertx.core.Future;
import java.util.List;
import java.util.Set;

public interface UserStore {
  /** The user, or null. */
  Future<User> findByUsername(String username);

  /** The user, or null. */
  Future<User> findById(String id);

  /** The union of the scopes the given roles grant. */
  Future<Set<String>> scopesOf(List<String> roles);

  /** Creates the user unless one with this id exists; the stored password is never overwritten. */
  Future<Boolean> createIfAbsent(User user);

  /** Updates everything but the password of an existing user. */
  Future<Void> updateProfile(User user);

  /**
   * Sets a new password hash, clears {@code requirePasswordChange}, revokes every token family
   * of the user and ends the user's browser sessions, in one transaction.
   */
  Future<Void> changePassword(String userId, String newPasswordHash);

  Future<Void> upsertRole(String name, List<String> scopes);
}
