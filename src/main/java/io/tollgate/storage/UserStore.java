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

  /** The users in id order, {@code limit} at most, after {@code after} (null: from the start). */
  Future<Page<User>> list(String after, int limit);

  /** Creates the user; {@link Change#CONFLICT} when the id or the username is taken. */
  Future<Change> create(User user);

  /**
   * Replaces username, roles and {@code requirePasswordChange}; {@link Change#CONFLICT} when the username
   * is taken. Taking a role away revokes the user's tokens in the same transaction.
   */
  Future<Change> update(User user);

  /**
   * An administrator's reset: sets a new password hash, sets {@code requirePasswordChange}, clears the
   * username's lockout and revokes every token family of the user, in one transaction.
   */
  Future<Change> resetPassword(String userId, String newPasswordHash);

  /** Revokes every token family of the user (announced to every instance), then deletes the user, in one transaction. */
  Future<Change> delete(String userId);

  /** Revokes every token family of an existing user, announced to every instance. */
  Future<Change> revokeTokens(String userId);
}
