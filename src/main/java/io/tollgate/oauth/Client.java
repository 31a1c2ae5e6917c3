package io.tollgate.oauth;

import java.util.List;

/**
 * A registered client. {@code secretHash} is argon2id (null for public clients);
 * {@code accessTtl}/{@code refreshTtl} are per-client overrides (null = the configured default);
 * {@code webOrigins}: the exact origins whose pages may read the token service's answers to this
 * client (CORS, README "Browsers (CORS)").
 */
public record Client(
    String id,
    String secretHash,
    GrantType grantType,
    List<String> scopes,
    List<String> defaultScopes,
    List<String> redirectUris,
    boolean refreshTokens,
    boolean isPublic,
    Integer accessTtl,
    Integer refreshTtl,
    List<String> webOrigins) {

  /** No {@code scope} parameter: the default scopes, else every allowed one. */
  public List<String> scopesWhenNoneRequested() {
    return defaultScopes != null ? defaultScopes : scopes;
  }

  /** RFC 6749 §6: refreshing is allowed to every client that is issued refresh tokens. */
  public boolean mayUse(GrantType requested) {
    return requested == grantType || requested == GrantType.REFRESH_TOKEN && refreshTokens;
  }
}
