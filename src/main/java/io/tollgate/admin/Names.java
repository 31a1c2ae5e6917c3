package io.tollgate.admin;

import io.tollgate.oauth.Scopes;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What the admin API accepts as a new id or role name: UUIDs, {@code abc123}, {@code 123}, and
 * AffinityLive's {@code 34ad67fa2f@hq.local.affinitylive.com} all pass; characters that need escaping in
 * a path or that split HTTP Basic credentials ({@code /}, {@code :}, spaces, controls) do not.
 */
final class Names {
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._~@+-]{1,200}");

  private Names() {}

  static String id(String field, String value) {
    if (!ID.matcher(value).matches()) {
      throw JsonInput.refuse(field, "may hold 1 to 200 of the characters A-Z a-z 0-9 . _ ~ @ + -");
    }
    return value;
  }

  /** RFC 6749 §3.3 scope-tokens. */
  static List<String> scopes(String field, List<String> scopes) {
    for (String scope : scopes) {
      if (!Scopes.valid(scope)) {
        throw JsonInput.refuse(field, "holds '" + Shown.safe(scope) + "', which is not a valid scope (RFC 6749 §3.3)");
      }
    }
    return scopes;
  }
}
