package io.tollgate.http;

import io.tollgate.oauth.OAuthResponses;
import io.vertx.core.MultiMap;

/**
 * The request id rule (README, "Request ids and tracing"): the caller's {@code X-Request-Id} when it
 * is one header of 1 to 128 characters of {@code [A-Za-z0-9._-]}, which can neither split a header
 * nor forge a log line, else a new one: 32 random hex digits, like nginx's {@code $request_id}.
 */
public final class RequestId {
  public static final String HEADER = OAuthResponses.REQUEST_ID;
  static final int MAX_LENGTH = 128;
  private static final boolean[] ALLOWED = new boolean[128];

  static {
    String allowed = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-";
    for (int i = 0; i < allowed.length(); i++) {
      ALLOWED[allowed.charAt(i)] = true;
    }
  }

  private RequestId() {}

  /** The caller's id if it may be kept, else a new one. */
  static String of(MultiMap headers) {
    String given = headers.get(HEADER);
    if (given == null || !valid(given) || headers.getAll(HEADER).size() > 1) {
      return generate();
    }
    return given;
  }

  /** A new id, for a request whose caller sent none that could be kept (or none could be read yet). */
  public static String generate() {
    return Ids.hex128();
  }

  static boolean valid(String id) {
    int n = id.length();
    if (n == 0 || n > MAX_LENGTH) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = id.charAt(i);
      if (c >= 128 || !ALLOWED[c]) {
        return false;
      }
    }
    return true;
  }
}
