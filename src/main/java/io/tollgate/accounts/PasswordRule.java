package io.tollgate.accounts;

/**
 * The one rule for a password someone chooses, whether an administrator sets it or the user changes
 * it: at least {@code security.minPasswordLength} characters and at most {@link #MAX_LENGTH}.
 */
public record PasswordRule(int minLength) {
  /** argon2id hashes all it is given, on a pool every login shares: the cap bounds one request's cost. */
  public static final int MAX_LENGTH = 1024;

  /** What is wrong with {@code password}, as the end of a sentence ("must be at least ..."); null when nothing. */
  public String problem(String password) {
    if (password.length() < minLength) {
      return "must be at least " + minLength + " characters long";
    }
    if (password.length() > MAX_LENGTH) {
      return "must be at most " + MAX_LENGTH + " characters long";
    }
    return null;
  }
}
