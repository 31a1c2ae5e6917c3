package io.tollgate.accounts;

import io.tollgate.config.TollgateConfig;
import io.tollgate.crypto.PasswordHasher;
import io.tollgate.storage.Storage;

/**
 * The user-account rules every front door shares, built in this one place: the login under the
 * lockout (the password grant, the consumer login, the login page) and the password change
 * ({@code /token/ChangePassword} and the change-password page).
 */
public record Accounts(UserLogin login, PasswordChange passwordChange) {
  public static Accounts create(Storage storage, PasswordHasher hasher, TollgateConfig.Security security) {
    return new Accounts(
        new UserLogin(storage.users(), storage.loginAttempts(), hasher, security.login()),
        new PasswordChange(storage.users(), storage.loginAttempts(), hasher, security));
  }
}
