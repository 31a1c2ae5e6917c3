package io.tollgate.grants;

import io.tollgate.oauth.Client;
import io.tollgate.oauth.Form;
import io.tollgate.oauth.GrantType;
import io.vertx.core.Future;

/**
 * One grant type, as parse → decide: {@link #parse} turns the form into the grant's typed request,
 * {@link #handle} decides it; the token endpoint renders the answer. The endpoint picks the handler by
 * {@code grant_type}; adding a grant adds a class. Neither method throws: a refusal is a failed future
 * carrying an {@code OAuthException}.
 *
 * @param <R> the grant's request, with the parameters RFC 6749 lists for it
 */
public interface GrantHandler<R> {
  GrantType type();

  /** The grant's parameters, typed; {@code invalid_request} when one is missing or malformed. */
  Future<R> parse(Form form);

  /** Decides the request of an authenticated client that may use this grant. */
  Future<GrantResult> handle(Client client, R request);
}
