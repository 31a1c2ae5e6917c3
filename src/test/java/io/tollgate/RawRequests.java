package io.tollgate;

import java.util.ArrayList;
import java.util.List;

/** HTTP/1.1 requests written out for {@link RawHttp}, and the header fields of a raw message as sent. */
public final class RawRequests {
  private RawRequests() {}

  /** {@code method path} for host {@code api.test} with these header lines, then {@code Connection: close}. */
  public static String request(String method, String path, String... headerLines) {
    StringBuilder request = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: api.test\r\n");
    for (String line : headerLines) {
      request.append(line).append("\r\n");
    }
    return request.append("Connection: close\r\n\r\n").toString();
  }

  /** A POST of {@code body}; its Content-Type and Content-Length are among the header lines. */
  public static String post(String path, String body, String... headerLines) {
    return request("POST", path, headerLines) + body;
  }

  /** Every value of header {@code name} (any case) in a raw HTTP/1.1 message head, in order. */
  public static List<String> headers(String message, String name) {
    int end = message.indexOf("\r\n\r\n");
    List<String> values = new ArrayList<>();
    for (String line : (end < 0 ? message : message.substring(0, end)).split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
        values.add(line.substring(colon + 1).trim());
      }
    }
    return values;
  }
}
