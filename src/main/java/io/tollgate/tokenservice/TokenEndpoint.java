package io.tollgate.tokenservice;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tollgate.accounts.ClientAuthenticator;
import io.tollgate.cors.CorsPolicy;
import io.tollgate.grants.GrantHandler;
import io.tollgate.grants.GrantResult;
import io.tollgate.oauth.Client;
import io.tollgate.oauth.Form;
import io.tollgate.oauth.GrantType;
import io.tollgate.oauth.OAuthError;
import io.tollgate.oauth.OAuthException;
import io.tollgate.oauth.OAuthResponses;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** {@code POST /token}: parse → authenticate the client → the grant's handler decides → render. */
public final class TokenEndpoint implements Handler<RoutingContext> {
  private final ClientAuthenticator authenticator;
  private final Map<GrantType, GrantHandler<?>> handlers = new EnumMap<>(GrantType.class);
  private final UserCredentialsAsClient userAsClient;
  private final Map<GrantType, Counter> issued = new EnumMap<>(GrantType.class);

  /** {@code userAsClient} is null unless {@code security.userCredentialsAsClient} is on. */
  TokenEndpoint(ClientAuthenticator authenticator, List<GrantHandler<?>> grants, UserCredentialsAsClient userAsClient,
      MeterRegistry registry) {
    this.authenticator = authenticator;
    this.userAsClient = userAsClient;
    grants.forEach(grant -> {
      handlers.put(grant.type(), grant);
      issued.put(grant.type(), Counter.builder("tollgate.tokens.issued").description("token responses, by grant")
          .tag("grant", grant.type().value()).register(registry));
    });
  }

  @Override
  public void handle(RoutingContext ctx) {
    Form form;
    ClientAuthenticator.Credentials credentials;
    GrantType type;
    try {
      form = Form.parseBody(ctx.request().getHeader("Content-Type"), ctx.body().buffer());
      credentials = authenticator.credentials(ctx, form);
      type = grantType(form);
    } catch (RuntimeException e) {
      OAuthResponses.error(ctx, e);
      return;
    }
    authenticator.authenticate(credentials)
        .onSuccess(client -> readableBy(ctx, client))
        .compose(client -> client.mayUse(type)
            ? decide(handlers.get(type), client, form)
            : Future.failedFuture(OAuthError.UNAUTHORIZED_CLIENT.because(
                "this client may not use the " + type.value() + " grant")))
        .recover(failure -> asUser(failure, type, credentials)
            ? userAsClient.handle(credentials, form) : Future.failedFuture(failure))
        .onSuccess(result -> {
          if (result instanceof GrantResult.Tokens) {
            issued.get(type).increment();
          }
          TokenResponses.tokens(ctx, result);
        })
        .onFailure(failure -> OAuthResponses.error(ctx, failure));
  }

  /**
   * README "Browsers (CORS)": from here on, success and error answers alike are readable by the page of an
   * origin this client registered (for a public client: the one its client_id names).
   */
  static void readableBy(RoutingContext ctx, Client client) {
    CorsPolicy.allowForClient(ctx.request(), client.webOrigins());
  }

  /** RFC 6749 §5.2: an absent grant_type is invalid_request, one we do not know unsupported_grant_type. */
  private GrantType grantType(Form form) {
    OAuthException missing = form.missing("grant_type");
    if (missing != null) {
      throw missing;
    }
    String grantType = form.get("grant_type");
    return GrantType.parse(grantType).filter(handlers::containsKey).orElseThrow(
        () -> OAuthError.UNSUPPORTED_GRANT_TYPE.because("grant_type '" + grantType + "' is not supported"));
  }

  /** Parse → decide, for the client already authenticated and allowed the grant. */
  private static <R> Future<GrantResult> decide(GrantHandler<R> grant, Client client, Form form) {
    return grant.parse(form).compose(request -> grant.handle(client, request));
  }

  /** The portal's user-as-client form: Basic credentials that are no client, on client_credentials. */
  private boolean asUser(Throwable failure, GrantType type, ClientAuthenticator.Credentials credentials) {
    return userAsClient != null && type == GrantType.CLIENT_CREDENTIALS
        && credentials.method() == ClientAuthenticator.Method.BASIC
        && failure instanceof OAuthException oauth && oauth.error() == OAuthError.INVALID_CLIENT;
  }
}
