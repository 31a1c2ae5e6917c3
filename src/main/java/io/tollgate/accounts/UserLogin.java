package io.tollgate.accounts;

import io.tollgate.config.TollgateConfig;
import io.tollgate.crypto.PasswordHasher;
import io.tollgate.oauth.OAuthError;
import io.tollgate.oauth.User;
import io.tollgate.storage.LoginAttempts;
import io.tollgate.storage.UserStore;
import io.vertx.core.Future;

/**
 * Checks a username and password under the lockout of {@code security.login} (RFC 6749 §4.3.2: the
 * password grant must be guarded against brute force). Unknown user and wrong password fail alike
 * and cost one hash each (no user enumeration, RFC 9700 §4.15).
 */
public final class UserLogin {
  private static final String BAD_CREDENTIALS = "invalid username or password";

  private final UserStore users;
  private final LoginAttempts attempts;
  private final PasswordHasher hasher;
  private final TollgateConfig.Login policy;

  public UserLogin(UserStore users, LoginAttempts attempts, PasswordHasher hasher, TollgateConfig.Login policy) {
    this.users = users;
    this.attempts = attempts;
    this.hasher = hasher;
    this.policy = policy;
  }

  public Future<User> authenticate(String username, String password) {
    return attempts.isLocked(username).compose(locked -> {
      if (locked) {
        // the password is not even checked while locked
        return Future.failedFuture(OAuthError.INVALID_GRANT.because(
            "too many failed attempts; try again later"));
      }
      return users.findByUsername(username)
          .compose(user -> hasher.verify(user == null ? null : user.passwordHash(), password)
              .compose(ok -> ok && user != null
                  ? attempts.clear(username).map(user)
                  : attempts.recordFailure(username, policy.maxFailures(), policy.lockSeconds())
                      .compose(counted -> Future.failedFuture(OAuthError.INVALID_GRANT.because(BAD_CREDENTIALS)))));
    });
  }
}
