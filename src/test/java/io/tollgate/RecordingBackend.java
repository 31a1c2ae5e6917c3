package io.tollgate;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A backend on a plain socket that records the exact bytes of every request it receives (head and
 * body) and answers 200 {@code {}} with {@code Connection: close}: what a gateway forwards, unparsed
 * by any HTTP library.
 */
public final class RecordingBackend implements AutoCloseable {
  private final ServerSocket server;
  private final List<String> received = new CopyOnWriteArrayList<>();
  private final String answerHeaders;

  public RecordingBackend() {
    this("");
  }

  /** {@code answerHeaders}: more header lines of every answer, each ending in CRLF. */
  public RecordingBackend(String answerHeaders) {
    this.answerHeaders = answerHeaders;
    try {
      server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Thread acceptor = new Thread(this::accept, "recording-backend");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public int port() {
    return server.getLocalPort();
  }

  public String url() {
    return "http://127.0.0.1:" + port();
  }

  /** Every request received so far, as raw text (ISO-8859-1), in order. */
  public List<String> received() {
    return List.copyOf(received);
  }

  public void clear() {
    received.clear();
  }

  /** The request line of each request received. */
  public List<String> requestLines() {
    return received.stream().map(r -> r.substring(0, Math.max(0, r.indexOf("\r\n")))).toList();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        Thread worker = new Thread(() -> serve(socket), "recording-backend-conn");
        worker.setDaemon(true);
        worker.start();
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      socket.setSoTimeout(10_000);
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream request = new ByteArrayOutputStream();
      String head = readHead(in, request);
      if (head == null) {
        return;
      }
      readBody(in, request, head.toLowerCase(Locale.ROOT));
      received.add(request.toString(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n"
          + answerHeaders + "Connection: close\r\n\r\n{}").getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
    } catch (IOException broken) {
      // the gateway went away: nothing to record
    }
  }

  private static String readHead(InputStream in, ByteArrayOutputStream into) throws IOException {
    int matched = 0;
    for (int b; (b = in.read()) >= 0; ) {
      into.write(b);
      matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : b == '\r' ? 1 : 0;
      if (matched == 4) {
        return into.toString(StandardCharsets.ISO_8859_1);
      }
    }
    return null;
  }

  private static void readBody(InputStream in, ByteArrayOutputStream into, String head) throws IOException {
    int length = head.indexOf("\r\ncontent-length:");
    if (head.contains("\r\ntransfer-encoding: chunked")) {
      String tail = "";
      for (int b; !tail.endsWith("\r\n0\r\n\r\n") && !tail.equals("0\r\n\r\n") && (b = in.read()) >= 0; ) {
        into.write(b);
        tail = (tail + (char) b).substring(Math.max(0, tail.length() - 8));
      }
    } else if (length >= 0) {
      int end = head.indexOf("\r\n", length + 2);
      int n = Integer.parseInt(head.substring(length + 17, end).trim());
      into.write(in.readNBytes(n));
    }
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }
}
