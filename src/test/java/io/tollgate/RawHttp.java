package io.tollgate;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.1 written by hand over a socket, for what well-behaved clients refuse to send: a chosen
 * {@code Host}, conflicting framing headers, malformed request lines.
 */
public final class RawHttp {
  private RawHttp() {}

  /** The response's status code and the whole raw response text (head and body). */
  public record Answer(int status, String text) {
    public String body() {
      int split = text.indexOf("\r\n\r\n");
      return split < 0 ? "" : text.substring(split + 4);
    }
  }

  /** Sends {@code request} as is (CRLF line ends are the caller's business) and reads until close. */
  public static Answer exchange(int port, String request) {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      for (int n; (n = in.read(buffer)) > 0; ) {
        answer.write(buffer, 0, n);
      }
      String text = answer.toString(StandardCharsets.ISO_8859_1);
      int status = text.startsWith("HTTP/1.1 ") ? Integer.parseInt(text.substring(9, 12)) : -1;
      return new Answer(status, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A GET with {@code Connection: close} for {@code host}, with an optional bearer token. */
  public static Answer get(int port, String host, String path, String bearer) {
    return exchange(port, "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n"
        + (bearer == null ? "" : "Authorization: Bearer " + bearer + "\r\n") + "Connection: close\r\n\r\n");
  }
}
