package io.tollgate.oauth;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/** Scope lists: requests may separate by spaces (RFC 6749 §3.3) or commas (AffinityLive); answers use spaces. */
public final class Scopes {
  private Scopes() {}

  /** The scopes of a request parameter, in order, without duplicates; null or blank = none. */
  public static Set<String> parse(String value) {
    Set<String> scopes = new LinkedHashSet<>();
    if (value != null) {
      for (String scope : value.split("[ ,]+")) {
        if (!scope.isEmpty()) {
          scopes.add(scope);
        }
      }
    }
    return scopes;
  }

  public static String format(Collection<String> scopes) {
    return String.join(" ", scopes);
  }

  /** RFC 6749 §3.3 scope-token: printable ASCII except space, quote and backslash. */
  public static boolean valid(String scope) {
    if (scope.isEmpty()) {
      return false;
    }
    for (int i = 0; i < scope.length(); i++) {
      char c = scope.charAt(i);
      if (c < 0x21 || c > 0x7e || c == '"' || c == '\\') {
        return false;
      }
    }
    return true;
  }

  /** {@code requested ∩ allowed}, keeping the requested order. */
  public static Set<String> intersect(Collection<String> requested, Collection<String> allowed) {
    Set<String> result = new LinkedHashSet<>(requested);
    result.retainAll(Set.copyOf(allowed));
    return result;
  }
}
