package io.tollgate.authorize;

import io.tollgate.oauth.ScopePolicy;
import io.tollgate.oauth.User;
import io.tollgate.storage.AuthorizationCodes;
import io.tollgate.storage.UserStore;
import io.tollgate.tokens.OpaqueTokens;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RFC 6749 §4.1.2: the successful answer for an authenticated user. The code is 256 random bits,
 * stored by hash with everything it is bound to, and lives {@code codeTtl} seconds.
 */
final class CodeResponse {
  private static final Logger log = LoggerFactory.getLogger(CodeResponse.class);

  private final AuthorizationCodes codes;
  private final UserStore users;
  private final BrowserSessions sessions;
  private final int codeTtl;

  CodeResponse(AuthorizationCodes codes, UserStore users, BrowserSessions sessions, int codeTtl) {
    this.codes = codes;
    this.users = users;
    this.sessions = sessions;
    this.codeTtl = codeTtl;
  }

  /** After a password was proved on a form: a new session, then the code. */
  Future<Void> afterLogin(RoutingContext ctx, AuthorizationRequest request, User user) {
    return sessions.start(ctx, user).compose(started -> send(ctx, request, user));
  }

  /**
   * Issues the code and answers with it: a redirect, or the PIN page of an installed application. An
   * {@code invalid_scope} goes back to the client through the callers' {@link AuthorizationError#of}.
   */
  Future<Void> send(RoutingContext ctx, AuthorizationRequest request, User user) {
    String code = OpaqueTokens.randomToken();
    return users.scopesOf(user.roles())
        .compose(roleScopes -> ScopePolicy.grant(request.client(), request.scope(), roleScopes))
        .compose(scope -> codes.store(OpaqueTokens.sha256(code), new AuthorizationCodes.Code(request.client().id(),
            user.id(), request.redirectUri(), scope, request.codeChallenge()), codeTtl))
        .map(stored -> {
          log.info("authorization code issued to client {} for user {}", request.client().id(), user.id());
          respond(ctx, request, code);
          return null;
        });
  }

  private void respond(RoutingContext ctx, AuthorizationRequest request, String code) {
    if (request.outOfBand()) {
      BrowserResponses.page(ctx, 200, Pages.pin(request, code, codeTtl), null);
      return;
    }
    Map<String, String> params = new LinkedHashMap<>();
    params.put("code", code);
    if (request.state() != null) {
      params.put("state", request.state());
    }
    BrowserResponses.redirect(ctx, request.redirectUri(), params);
  }
}
