package io.tollgate.gateway.netty;

/**
 * The idle timeout a backend announces in its answer's {@code Keep-Alive: timeout=N} header (RFC 2068
 * §19.7.1.1, still sent by Apache httpd, nginx's {@code keepalive_timeout} second argument and many
 * frameworks): after N seconds idle the backend closes the connection, so the pool must not hand it
 * out any later. Vert.x's client honours the same header.
 */
final class KeepAliveTimeout {
  /** Nothing announced: the pool's own keep-alive timeout applies. */
  static final long NONE = -1;
  /**
   * How much sooner than announced the pool stops using the connection: the backend's timer counts
   * from its last write, ours from the answer's last read, and a request must not cross its close.
   */
  static final long MARGIN_MILLIS = 250;

  private KeepAliveTimeout() {
  }

  /** The announced timeout in ms, or {@link #NONE} when there is no valid {@code timeout} parameter. */
  static long millis(String header) {
    if (header == null) {
      return NONE;
    }
    for (int start = 0; start < header.length(); ) {
      int comma = header.indexOf(',', start);
      int end = comma < 0 ? header.length() : comma;
      long seconds = timeoutSeconds(header, start, end);
      if (seconds != NONE) {
        return seconds * 1000;
      }
      start = end + 1;
    }
    return NONE;
  }

  /** {@code timeout=N} in {@code header[start, end)}, spaces around it allowed, the name in any case. */
  private static long timeoutSeconds(String header, int start, int end) {
    while (start < end && header.charAt(start) == ' ') {
      start++;
    }
    while (end > start && header.charAt(end - 1) == ' ') {
      end--;
    }
    String name = "timeout=";
    int digits = end - start - name.length();
    if (digits < 1 || digits > 9 || !header.regionMatches(true, start, name, 0, name.length())) {
      return NONE;
    }
    long seconds = 0;
    for (int i = start + name.length(); i < end; i++) {
      char digit = header.charAt(i);
      if (digit < '0' || digit > '9') {
        return NONE;
      }
      seconds = seconds * 10 + (digit - '0');
    }
    return seconds;
  }

  /** How long the pool keeps the connection idle: its own timeout, or less when the backend said so. */
  static long idleMillis(long poolMillis, long announcedMillis) {
    return announcedMillis == NONE ? poolMillis : Math.min(poolMillis, announcedMillis - MARGIN_MILLIS);
  }
}
