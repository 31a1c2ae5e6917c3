package io.tollgate.grants;

/** What a grant answers: tokens, or (password grant) the demand to change the password first. */
public sealed interface GrantResult permits GrantResult.Tokens, GrantResult.PasswordChangeRequired {

  /** RFC 6749 §5.1; {@code refreshToken} may be null. */
  record Tokens(String accessToken, int expiresIn, String refreshToken, String scope) implements GrantResult {
    @Override
    public String toString() {
      return "Tokens[expiresIn=" + expiresIn + ", scope=" + scope + "]"; // never the tokens themselves
    }
  }

  /** Profix: {@code {"userid": "123", "RequireChangePassword": true}} and no token. */
  record PasswordChangeRequired(String userId) implements GrantResult {}
}
