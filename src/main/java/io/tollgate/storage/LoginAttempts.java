package io.tollgate.storage;

import io.vertx.core.Future;

/**
 * Failed logins per username, shared by every instance, for the lockout of {@code security.login}
 * (RFC 6749 §4.3.2: the password grant must be guarded against brute force).
 */
public interface LoginAttempts {
  /** True while the username is locked. */
  Future<Boolean> isLocked(String username);

  /** Counts a failure; the {@code maxFailures}-th locks the username for {@code lockSeconds}. */
  Future<Void> recordFailure(String username, int maxFailures, int lockSeconds);

  Future<Void> clear(String username);
}
