package io.tollgate.grants;

import io.tollgate.oauth.Client;
import io.tollgate.oauth.Form;
import io.tollgate.oauth.GrantType;

/** A parsed token request from an authenticated client. */
public record TokenRequest(GrantType grantType, Client client, Form form) {}
