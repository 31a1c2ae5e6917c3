package io.tollgate.config;

import io.tollgate.cors.Origins;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** {@code routes[].cors} (README, "Browsers (CORS)"): every origin, method and header checked here, each problem naming its key. */
final class CorsSection {
  /** RFC 9110 §5.6.2: a method and a field name are tokens. */
  private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
  /** Fetch §2.2.1 "forbidden method": a browser never sends these, so listing one is a mistake. */
  private static final Set<String> FORBIDDEN_METHODS = Set.of("CONNECT", "TRACE", "TRACK");

  private CorsSection() {}

  static TollgateConfig.Cors read(ConfigReader r) {
    List<String> origins = r.strings("origins", List.of());
    if (origins.isEmpty()) {
      r.problem("origins", "needs at least one origin, e.g. https://app.example");
    }
    Set<String> seen = new HashSet<>();
    for (String origin : origins) {
      String problem = Origins.problem(origin);
      if (problem != null) {
        r.problem("origins", problem);
      } else if (!seen.add(origin)) {
        r.problem("origins", "'" + origin + "' is listed twice");
      }
    }
    List<String> methods = r.strings("methods", List.of("GET", "HEAD", "POST"));
    if (methods.isEmpty()) {
      r.problem("methods", "needs at least one method");
    }
    for (String method : methods) {
      if (!TOKEN.matcher(method).matches() || method.equals("*")) {
        r.problem("methods", "not a method name: \"" + method + "\"");
      } else if (!method.equals(method.toUpperCase(Locale.ROOT))) {
        // RFC 9110 §9.1: methods are case-sensitive, and browsers send the standard ones in capitals
        r.problem("methods", "write \"" + method + "\" in capitals, as browsers send it");
      } else if (FORBIDDEN_METHODS.contains(method)) {
        r.problem("methods", method + " is a method browsers never send (Fetch: forbidden method)");
      }
    }
    List<String> headers = r.strings("headers", List.of("Authorization", "Content-Type"));
    for (String header : headers) {
      if (!TOKEN.matcher(header).matches() || header.equals("*")) {
        // a * would not cover Authorization anyway (Fetch §3.2.3): list the headers
        r.problem("headers", "not a header name: \"" + header + "\"");
      }
    }
    // Chromium caps a preflight's cache at 2 hours, Firefox at 24
    int maxAge = r.integer("maxAge", 600, 0, 86_400);
    r.finish();
    return new TollgateConfig.Cors(origins, methods, headers, maxAge);
  }
}
