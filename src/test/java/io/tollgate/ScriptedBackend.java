package io.tollgate;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A backend on a plain socket that does, on each connection, what the test's script says: answer,
 * keep the connection, close it mid-answer or without answering. It records each request head with
 * the number of its connection, so a test can tell a reused connection from a new one.
 */
public final class ScriptedBackend implements AutoCloseable {
  /** One connection's behaviour; {@code connection} counts from 1 in the order they were accepted. */
  @FunctionalInterface
  public interface Script {
    void run(Connection connection) throws IOException;
  }

  /** The accepted connection as the script sees it. */
  public final class Connection {
    public final int number;
    final InputStream in;
    public final OutputStream out;

    Connection(int number, Socket socket) throws IOException {
      this.number = number;
      this.in = socket.getInputStream();
      this.out = socket.getOutputStream();
    }

    /** The next request's head (its body, if any, is left unread), or null when the gateway closed. */
    public String nextHead() throws IOException {
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      int matched = 0;
      for (int b; (b = in.read()) >= 0; ) {
        head.write(b);
        matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : b == '\r' ? 1 : 0;
        if (matched == 4) {
          String text = head.toString(StandardCharsets.ISO_8859_1);
          heads.add(number + " " + text.substring(0, text.indexOf("\r\n")));
          return text;
        }
      }
      return null;
    }

    public void write(String text) throws IOException {
      out.write(text.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
    }
  }

  private final ServerSocket server;
  private final Script script;
  private final AtomicInteger accepted = new AtomicInteger();
  private final List<String> heads = new CopyOnWriteArrayList<>();

  public ScriptedBackend(Script script) {
    this.script = script;
    try {
      server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Thread acceptor = new Thread(this::accept, "scripted-backend");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public String url() {
    return "http://127.0.0.1:" + server.getLocalPort();
  }

  /** Each request line received, prefixed by its connection's number ("2 GET /a HTTP/1.1"). */
  public List<String> heads() {
    return List.copyOf(heads);
  }

  public int connections() {
    return accepted.get();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        int number = accepted.incrementAndGet();
        Thread worker = new Thread(() -> serve(socket, number), "scripted-backend-conn");
        worker.setDaemon(true);
        worker.start();
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void serve(Socket socket, int number) {
    try (socket) {
      socket.setSoTimeout(15_000);
      script.run(new Connection(number, socket));
    } catch (IOException broken) {
      // the gateway went away: the script's business ends there
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
