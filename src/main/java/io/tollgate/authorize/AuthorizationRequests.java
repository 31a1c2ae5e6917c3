package io.tollgate.authorize;

import io.tollgate.oauth.Client;
import io.tollgate.oauth.Form;
import io.tollgate.oauth.GrantType;
import io.tollgate.oauth.OAuthError;
import io.tollgate.oauth.OAuthException;
import io.tollgate.oauth.Pkce;
import io.tollgate.oauth.ScopePolicy;
import io.tollgate.storage.ClientStore;
import io.vertx.core.Future;

/** Parses and validates an authorization request, from the query or from a login form's hidden fields. */
final class AuthorizationRequests {
  private static final int MAX_CLIENT_ID = 512;

  private final ClientStore clients;

  AuthorizationRequests(ClientStore clients) {
    this.clients = clients;
  }

  /** The request, or a failed future carrying an {@link AuthorizationError}. */
  Future<AuthorizationRequest> parse(Form params) {
    String clientId = params.get("client_id");
    if (clientId == null) {
      return Future.failedFuture(AuthorizationError.untrusted("The request does not name an application (client_id)."));
    }
    return params.redirectUri()
        .recover(differ -> Future.failedFuture(AuthorizationError.untrusted("The request names two different redirect URIs.")))
        .compose(sent -> find(clientId).compose(found -> validate(found, sent, params)));
  }

  private Future<Client> find(String clientId) {
    return clientId.length() > MAX_CLIENT_ID ? Future.succeededFuture() : clients.find(clientId);
  }

  /** RFC 6749 §4.1.2.1: errors before the redirect URI is trusted are shown, the others redirected. */
  private static Future<AuthorizationRequest> validate(Client found, String sent, Form params) {
    if (found == null) {
      return Future.failedFuture(AuthorizationError.untrusted("The application is not known here."));
    }
    // RFC 6749 §3.1.2.4 and §4.1.2.1: never redirect to a URI the client has not registered
    String redirectUri = sent != null
        ? (found.redirectUris().contains(sent) ? sent : null)
        : (found.redirectUris().size() == 1 ? found.redirectUris().get(0) : null);
    if (redirectUri == null) {
      return Future.failedFuture(AuthorizationError.untrusted(sent != null
          ? "The redirect URI is not registered for this application."
          : "The request must name the redirect URI (redirect_uri) of this application."));
    }
    String state = params.get("state");
    OAuthException problem = problem(found, params);
    return problem != null
        ? Future.failedFuture(AuthorizationError.redirect(redirectUri, state, problem))
        : Future.succeededFuture(new AuthorizationRequest(found, redirectUri, params.get("scope"), state,
            params.get("code_challenge")));
  }

  /** RFC 6749 §4.1.2.1 and RFC 7636 §4.4.1, for a request whose redirect URI is trusted; null when none. */
  private static OAuthException problem(Client client, Form params) {
    String responseType = params.get("response_type");
    String grantType = params.get("grant_type");
    // RFC 6749 §4.1.1 requires response_type; Profix sends none, Procurios may send grant_type=code instead
    boolean code = responseType != null ? responseType.equals("code")
        : grantType == null || GrantType.parse(grantType).orElse(null) == GrantType.AUTHORIZATION_CODE;
    if (!code) {
      return OAuthError.UNSUPPORTED_RESPONSE_TYPE.because("only response_type=code is supported");
    }
    if (client.grantType() != GrantType.AUTHORIZATION_CODE) {
      return OAuthError.UNAUTHORIZED_CLIENT.because("this client may not use the authorization code grant");
    }
    OAuthException invalidScope = ScopePolicy.refusal(client, params.get("scope"));
    if (invalidScope != null) {
      return invalidScope;
    }
    return pkceProblem(client, params.get("code_challenge"), params.get("code_challenge_method"));
  }

  private static OAuthException pkceProblem(Client client, String challenge, String method) {
    if (challenge == null && method != null) {
      return OAuthError.INVALID_REQUEST.because("code_challenge_method without code_challenge");
    }
    if (challenge == null) {
      // RFC 9700 §2.1.1: a public client has no other way to bind the code to itself
      return client.isPublic()
          ? OAuthError.INVALID_REQUEST.because("PKCE is required for this client: send code_challenge with S256")
          : null;
    }
    // RFC 7636 §4.3 makes an absent method mean plain, which we refuse (RFC 9700 §2.1.1)
    if (!Pkce.S256.equals(method)) {
      return OAuthError.INVALID_REQUEST.because("code_challenge_method must be S256; plain is not accepted");
    }
    return Pkce.validChallenge(challenge) ? null
        : OAuthError.INVALID_REQUEST.because("code_challenge must be the 43-character BASE64URL SHA-256 of the verifier");
  }
}
