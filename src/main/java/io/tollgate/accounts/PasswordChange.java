package io.tollgate.accounts;

import io.tollgate.config.TollgateConfig;
import io.tollgate.crypto.PasswordHasher;
import io.tollgate.oauth.User;
import io.tollgate.storage.LoginAttempts;
import io.tollgate.storage.UserStore;
import io.vertx.core.Future;

/**
 * The rules of a password change (README, "Try it with curl"), shared by {@code POST /token/ChangePassword} and
 * the change-password page of the authorization endpoint: the current password is checked under the
 * login lockout, the new one must be long enough and differ from it. Refusals carry a sentence for
 * the user.
 */
public final class PasswordChange {
  private static final String WRONG_CREDENTIALS = "The user id or current password is incorrect.";

  /** A refusal with the sentence the user sees, and the HTTP status of the JSON endpoint. */
  public static final class Refused extends RuntimeException {
    private final int status;

    Refused(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }

    public int status() {
      return status;
    }
  }

  private final UserStore users;
  private final LoginAttempts attempts;
  private final PasswordHasher hasher;
  private final TollgateConfig.Security security;
  private final PasswordRule rule;

  public PasswordChange(UserStore users, LoginAttempts attempts, PasswordHasher hasher,
      TollgateConfig.Security security) {
    this.users = users;
    this.attempts = attempts;
    this.hasher = hasher;
    this.security = security;
    this.rule = new PasswordRule(security.minPasswordLength());
  }

  /** The refusal for a new password that breaks the rules on its own, or null when it may be tried. */
  public Refused checkNewPassword(String oldPassword, String newPassword) {
    String problem = rule.problem(newPassword);
    if (problem != null) {
      return new Refused(400, "The new password " + problem + ".");
    }
    if (newPassword.equals(oldPassword)) {
      return new Refused(400, "The new password must differ from the current password.");
    }
    return null;
  }

  /**
   * Changes the password of {@code user} (null: unknown, refused after the same work), which also
   * clears {@code requirePasswordChange} and revokes the user's tokens and sessions.
   */
  public Future<Void> change(User user, String oldPassword, String newPassword) {
    Refused invalid = checkNewPassword(oldPassword, newPassword);
    if (invalid != null) {
      return Future.failedFuture(invalid);
    }
    return checkOldPassword(user, oldPassword)
        .compose(checked -> hasher.hash(newPassword))
        .compose(hash -> users.changePassword(user.id(), hash));
  }

  private Future<User> checkOldPassword(User user, String oldPassword) {
    String username = user == null ? null : user.username();
    Future<Boolean> locked = username == null ? Future.succeededFuture(false) : attempts.isLocked(username);
    return locked.compose(isLocked -> {
      if (isLocked) {
        return Future.failedFuture(new Refused(400, "Too many failed attempts; please try again later."));
      }
      return hasher.verify(user == null ? null : user.passwordHash(), oldPassword).compose(ok -> {
        if (ok && user != null) {
          return attempts.clear(username).map(user);
        }
        Future<Void> counted = username == null ? Future.succeededFuture()
            : attempts.recordFailure(username, security.login().maxFailures(), security.login().lockSeconds());
        return counted.compose(c -> Future.failedFuture(new Refused(400, WRONG_CREDENTIALS)));
      });
    });
  }
}
