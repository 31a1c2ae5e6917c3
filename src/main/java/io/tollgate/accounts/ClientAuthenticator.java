package io.tollgate.accounts;

import io.tollgate.crypto.ClientSecretVerifier;
import io.tollgate.oauth.BasicCredentials;
import io.tollgate.oauth.Client;
import io.tollgate.oauth.Form;
import io.tollgate.oauth.OAuthError;
import io.tollgate.oauth.OAuthException;
import io.tollgate.storage.ClientStore;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;

/**
 * RFC 6749 §2.3.1: HTTP Basic, or {@code client_id}/{@code client_secret} in the body, or (only
 * when configured, AffinityLive's last option) in the query. Two methods at once are refused.
 */
public final class ClientAuthenticator {
  /** Where the credentials came from; a Basic failure is answered with a Basic challenge. */
  public enum Method { BASIC, BODY, QUERY, NONE }

  /** Credentials as presented; {@code secret} is null for a public client. */
  public record Credentials(String clientId, String secret, Method method) {}

  /** A form request whose client is authenticated. */
  public record AuthenticatedForm(Client client, Form form) {}

  private static final int MAX_LENGTH = 512;

  private final ClientStore clients;
  private final ClientSecretVerifier secrets;
  private final boolean allowQuery;

  public ClientAuthenticator(ClientStore clients, ClientSecretVerifier secrets, boolean allowQuery) {
    this.clients = clients;
    this.secrets = secrets;
    this.allowQuery = allowQuery;
  }

  public Credentials credentials(RoutingContext ctx, Form body) {
    Credentials basic = basic(ctx.request().getHeader("Authorization"));
    Form query = allowQuery ? Form.parse(ctx.request().query(), "query") : Form.empty();
    int methods = (basic != null ? 1 : 0) + (body.has("client_secret") ? 1 : 0)
        + (query.has("client_secret") ? 1 : 0);
    if (methods > 1) {
      throw OAuthError.INVALID_REQUEST.because("use only one client authentication method");
    }
    if (basic != null) {
      String bodyId = body.get("client_id");
      if (bodyId != null && !bodyId.equals(basic.clientId())) {
        throw OAuthError.INVALID_REQUEST.because("client_id differs from the Basic credentials");
      }
      return basic;
    }
    if (body.has("client_id")) {
      return new Credentials(body.get("client_id"), body.get("client_secret"), Method.BODY);
    }
    if (query.has("client_id")) {
      return new Credentials(query.get("client_id"), query.get("client_secret"), Method.QUERY);
    }
    throw OAuthError.INVALID_CLIENT.because("client authentication is required");
  }

  /** Parses a form request, checks its {@code required} parameters and authenticates its client. */
  public Future<AuthenticatedForm> authenticateForm(RoutingContext ctx, String... required) {
    Form form;
    Credentials credentials;
    try {
      form = Form.parseBody(ctx.request().getHeader("Content-Type"), ctx.body().buffer());
      credentials = credentials(ctx, form);
    } catch (OAuthException e) {
      return Future.failedFuture(e);
    }
    OAuthException missing = form.missing(required);
    if (missing != null) {
      return Future.failedFuture(missing);
    }
    return authenticate(credentials).map(client -> new AuthenticatedForm(client, form));
  }

  /** The authenticated client, or a failed future with {@code invalid_client}. */
  public Future<Client> authenticate(Credentials credentials) {
    OAuthException invalid = OAuthError.INVALID_CLIENT.because("client authentication failed");
    OAuthException failure = credentials.method() == Method.BASIC ? invalid.withBasicChallenge() : invalid;
    if (credentials.clientId().length() > MAX_LENGTH
        || credentials.secret() != null && credentials.secret().length() > MAX_LENGTH) {
      return Future.failedFuture(failure);
    }
    return clients.find(credentials.clientId()).compose(client -> {
      if (client == null) {
        // same work as a wrong secret, so that client ids cannot be probed by timing
        return secrets.verify(credentials.clientId(), null, credentials.secret() == null ? "" : credentials.secret())
            .compose(ignored -> Future.failedFuture(failure));
      }
      if (client.isPublic()) {
        return credentials.secret() == null ? Future.succeededFuture(client) : Future.failedFuture(failure);
      }
      if (credentials.secret() == null) {
        return Future.failedFuture(failure);
      }
      return secrets.verify(client.id(), client.secretHash(), credentials.secret())
          .compose(ok -> ok ? Future.succeededFuture(client) : Future.failedFuture(failure));
    });
  }

  /** RFC 6749 §2.3.1 Basic credentials, or null when the header is not Basic. */
  private static Credentials basic(String header) {
    BasicCredentials basic = BasicCredentials.parse(header);
    return basic == null ? null : new Credentials(basic.clientId(), basic.secret(), Method.BASIC);
  }
}
