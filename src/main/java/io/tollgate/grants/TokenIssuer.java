package io.tollgate.grants;

import io.tollgate.config.TollgateConfig;
import io.tollgate.oauth.Client;
import io.tollgate.storage.RefreshTokenStore;
import io.tollgate.storage.RefreshTokenStore.Grant;
import io.tollgate.tokens.AccessToken;
import io.tollgate.tokens.OpaqueTokens;
import io.tollgate.tokens.TokenIds;
import io.tollgate.tokens.TokenMinter;
import io.vertx.core.Future;
import java.util.List;
import java.util.UUID;

/** Mints access tokens and, where the client gets them, starts a refresh-token family. */
final class TokenIssuer {
  private final TokenMinter minter;
  private final RefreshTokenStore refreshTokens;
  private final TollgateConfig.Tokens ttl;
  private final List<String> audience;

  TokenIssuer(TokenMinter minter, RefreshTokenStore refreshTokens, TollgateConfig.Tokens ttl, List<String> audience) {
    this.minter = minter;
    this.refreshTokens = refreshTokens;
    this.ttl = ttl;
    this.audience = audience;
  }

  /** A new grant: an access token, plus a refresh token in a new family when the client gets one. */
  Future<GrantResult> issue(Client client, String userId, String scope) {
    if (!client.refreshTokens()) {
      return Future.succeededFuture(tokens(client, userId, scope, null, null));
    }
    int refreshTtl = refreshTtl(client);
    String refreshToken = OpaqueTokens.randomToken();
    return refreshTokens.newFamilyWithToken(OpaqueTokens.sha256(refreshToken), client.id(), userId, scope, refreshTtl)
        .map(family -> tokens(client, userId, scope, family, refreshToken));
  }

  /**
   * A family for a grant that must be revocable as a whole even when the client gets no refresh
   * token (a code exchange): it lives as long as the longest-lived token it may contain.
   */
  Future<UUID> newFamily(Client client, String userId) {
    return refreshTokens.newFamily(client.id(), userId,
        client.refreshTokens() ? refreshTtl(client) : accessTtl(client));
  }

  /** Tokens of a new grant in {@code family}: every access token carries it as {@code sid}. */
  Future<GrantResult> issueInFamily(Client client, String userId, String scope, UUID family) {
    if (!client.refreshTokens()) {
      return Future.succeededFuture(tokens(client, userId, scope, family, null));
    }
    int refreshTtl = refreshTtl(client);
    String refreshToken = OpaqueTokens.randomToken();
    return refreshTokens.store(OpaqueTokens.sha256(refreshToken), new Grant(family, client.id(), userId, scope), refreshTtl)
        .map(stored -> tokens(client, userId, scope, family, refreshToken));
  }

  /** The answer to a rotation: a fresh access token in the same family, with the new refresh token. */
  GrantResult.Tokens tokens(Client client, String userId, String scope, UUID family, String refreshToken) {
    long nowMillis = System.currentTimeMillis();
    long now = nowMillis / 1000;
    int accessTtl = accessTtl(client);
    String subject = userId != null ? userId : client.id();
    String jwt = minter.mint(new AccessToken(TokenIds.next(nowMillis), subject, client.id(), scope, now,
        now + accessTtl, family == null ? null : family.toString(), audience));
    return new GrantResult.Tokens(jwt, accessTtl, refreshToken, scope);
  }

  private int accessTtl(Client client) {
    return client.accessTtl() != null ? client.accessTtl() : ttl.accessTtl();
  }

  int refreshTtl(Client client) {
    return client.refreshTtl() != null ? client.refreshTtl() : ttl.refreshTtl();
  }
}
