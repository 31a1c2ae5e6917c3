package io.tollgate.cors;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an origin registered for CORS must look like: the serialization of an origin as a browser
 * sends it in the {@code Origin} header (Fetch §3.2.2, HTML "serialization of an origin"):
 * {@code scheme://host[:port]}, http or https, lower case, no default port, nothing after it.
 * Anything else would never equal an {@code Origin} header and so would fail silently; it is refused
 * where it is written instead (the configuration, the bootstrap file, the admin API).
 */
public final class Origins {
  private static final Pattern ORIGIN = Pattern.compile(
      "(https?)://([a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*|\\[[0-9a-f:.]+\\])(:([0-9]{1,5}))?");

  private Origins() {}

  /** Null when {@code origin} is an exact origin; otherwise what is wrong with it, in words. */
  public static String problem(String origin) {
    if (origin == null || origin.isEmpty()) {
      return "an origin cannot be empty";
    }
    if (origin.indexOf('*') >= 0) {
      return "'" + shown(origin) + "': no wildcards, list each origin exactly (Fetch §3.2.5: never * with credentials)";
    }
    if (origin.endsWith("/")) {
      return "'" + shown(origin) + "' ends with /: an origin is scheme://host[:port], without a path or trailing slash";
    }
    if (!origin.equals(origin.toLowerCase(java.util.Locale.ROOT))) {
      return "'" + shown(origin) + "': write it in lower case, as browsers send it";
    }
    Matcher m = ORIGIN.matcher(origin);
    if (!m.matches()) {
      return "'" + shown(origin) + "' is not an origin: http:// or https://, a host, an optional port,"
          + " and no path, query or fragment";
    }
    if (m.group(7) != null) {
      int port = Integer.parseInt(m.group(7));
      if (port < 1 || port > 65535 || m.group(7).startsWith("0")) {
        return "'" + shown(origin) + "': the port must be 1 to 65535";
      }
      if (port == 80 && m.group(1).equals("http") || port == 443 && m.group(1).equals("https")) {
        return "'" + shown(origin) + "': leave out the default port, browsers do";
      }
    }
    return null;
  }

  /** Caller-supplied text in a message: printable ASCII, cut short. */
  private static String shown(String text) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < text.length() && out.length() < 80; i++) {
      char c = text.charAt(i);
      out.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return text.length() > 80 ? out + "..." : out.toString();
  }
}
