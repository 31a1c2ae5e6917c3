package io.tollgate.grants;

import io.tollgate.oauth.Client;
import io.tollgate.oauth.Form;
import io.tollgate.oauth.GrantType;
import io.tollgate.oauth.OAuthError;
import io.tollgate.oauth.OAuthException;
import io.tollgate.oauth.Pkce;
import io.tollgate.storage.AuthorizationCodes;
import io.tollgate.storage.AuthorizationCodes.Code;
import io.tollgate.storage.AuthorizationCodes.Redemption;
import io.tollgate.storage.RefreshTokenStore;
import io.tollgate.tokens.OpaqueTokens;
import io.vertx.core.Future;
import java.util.UUID;

/**
 * RFC 6749 §4.1.3 with PKCE (RFC 7636 §4.6): a code is exchanged once, by the client it was issued
 * to, for the redirect URI it was issued for, with the verifier of its challenge. Every token of the
 * exchange belongs to one new family, so that a replay of the code can revoke them all.
 */
final class AuthorizationCodeGrant implements GrantHandler<AuthorizationCodeGrant.Request> {
  /** RFC 6749 §4.1.3 and RFC 7636 §4.5; {@code redirectUri} and {@code codeVerifier} may be absent. */
  record Request(String code, String redirectUri, String codeVerifier) {
    @Override
    public String toString() {
      return "AuthorizationCodeGrant.Request[redirectUri=" + redirectUri + "]"; // never the code or verifier
    }
  }

  private final AuthorizationCodes codes;
  private final RefreshTokenStore families;
  private final TokenIssuer issuer;

  AuthorizationCodeGrant(AuthorizationCodes codes, RefreshTokenStore families, TokenIssuer issuer) {
    this.codes = codes;
    this.families = families;
    this.issuer = issuer;
  }

  @Override
  public GrantType type() {
    return GrantType.AUTHORIZATION_CODE;
  }

  @Override
  public Future<Request> parse(Form form) {
    OAuthException missing = form.missing("code");
    return missing != null ? Future.failedFuture(missing)
        : form.redirectUri().map(redirectUri -> new Request(form.get("code"), redirectUri, form.get("code_verifier")));
  }

  @Override
  public Future<GrantResult> handle(Client client, Request request) {
    byte[] codeHash = OpaqueTokens.sha256(request.code());
    return codes.redeem(codeHash).compose(redemption -> switch (redemption.outcome()) {
      case NOT_FOUND -> Future.failedFuture(OAuthError.INVALID_GRANT.because("unknown authorization code"));
      case EXPIRED -> Future.failedFuture(OAuthError.INVALID_GRANT.because("authorization code expired"));
      case REUSED -> revokeReplayed(redemption);
      case REDEEMED -> {
        OAuthException refused = refusal(client, redemption.code(), request.redirectUri(), request.codeVerifier());
        yield refused != null ? Future.failedFuture(refused) : exchange(client, redemption.code(), codeHash);
      }
    });
  }

  /** RFC 6749 §4.1.3, RFC 7636 §4.6 and RFC 9700 §4.8.2, in that order; null when the code may be exchanged. */
  private static OAuthException refusal(Client client, Code code, String redirectUri, String verifier) {
    if (!code.clientId().equals(client.id())) {
      return OAuthError.INVALID_GRANT.because("the code was issued to another client");
    }
    if (redirectUri != null && !redirectUri.equals(code.redirectUri())) {
      return OAuthError.INVALID_GRANT.because("redirect_uri differs from the authorization request's");
    }
    // RFC 6749 §4.1.3 wants it back when the authorization request had one; Profix and Procurios omit
    // it, allowed when it cannot be ambiguous: the client has one registered URI (README, "Browser flow")
    if (redirectUri == null
        && !(client.redirectUris().size() == 1 && client.redirectUris().get(0).equals(code.redirectUri()))) {
      return OAuthError.INVALID_GRANT.because("redirect_uri is required: the client has several");
    }
    if (code.codeChallenge() != null && verifier == null) {
      return OAuthError.INVALID_GRANT.because("code_verifier is required");
    }
    if (code.codeChallenge() != null && !Pkce.matches(verifier, code.codeChallenge())) {
      return OAuthError.INVALID_GRANT.because("code_verifier does not match the code_challenge");
    }
    if (code.codeChallenge() == null && verifier != null) {
      // a verifier without a challenge is a PKCE downgrade attempt
      return OAuthError.INVALID_GRANT.because("the authorization request had no code_challenge");
    }
    return null;
  }

  private Future<GrantResult> exchange(Client client, Code code, byte[] codeHash) {
    return issuer.newFamily(client, code.userId())
        .compose(family -> codes.attachFamily(codeHash, family)
            .compose(replayed -> replayed
                // a replay arrived between redemption and now and could not revoke this family yet
                ? revoke(family)
                : issuer.issueInFamily(client, code.userId(), code.scope(), family)));
  }

  /** RFC 6749 §4.1.2: a code used twice is refused and every token issued from it revoked. */
  private Future<GrantResult> revokeReplayed(Redemption redemption) {
    return redemption.familyId() == null
        ? Future.failedFuture(replayed())
        : revoke(redemption.familyId());
  }

  private Future<GrantResult> revoke(UUID family) {
    return families.revokeFamily(family).compose(revoked -> Future.failedFuture(replayed()));
  }

  private static OAuthException replayed() {
    return OAuthError.INVALID_GRANT.because("authorization code already used; every token issued from it is revoked");
  }
}
