package io.tollgate.authorize;

import io.tollgate.oauth.Client;
import io.tollgate.oauth.Pkce;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A validated authorization request (RFC 6749 §4.1.1): its client, the redirect URI the answer
 * goes to (registered, exact match), the requested scope as sent, state and PKCE challenge.
 */
record AuthorizationRequest(Client client, String redirectUri, String scope, String state, String codeChallenge) {
  /** The installed-application PIN flow: the code is shown to the user instead of redirected. */
  static final String OUT_OF_BAND = "urn:ietf:wg:oauth:2.0:oob";

  boolean outOfBand() {
    return OUT_OF_BAND.equals(redirectUri);
  }

  /** The request as hidden fields of the login forms, validated again when they come back. */
  Map<String, String> formFields() {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("response_type", "code");
    fields.put("client_id", client.id());
    fields.put("redirect_uri", redirectUri);
    putIfPresent(fields, "scope", scope);
    putIfPresent(fields, "state", state);
    if (codeChallenge != null) {
      fields.put("code_challenge", codeChallenge);
      fields.put("code_challenge_method", Pkce.S256);
    }
    return fields;
  }

  private static void putIfPresent(Map<String, String> fields, String name, String value) {
    if (value != null) {
      fields.put(name, value);
    }
  }
}
