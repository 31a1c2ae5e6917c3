package io.tollgate.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.tollgate.ChildTollgate;
import io.tollgate.RawHttp;
import io.tollgate.TestTollgate;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Callers that hang up halfway through a large body, while the gateway holds them back for a backend
 * that does not read: what the gateway had read of each must be freed, however many there are. A
 * gateway that kept it (Vert.x holds a paused request's unread chunks in pooled direct buffers) runs
 * out of direct memory, and the error kills its event loop: every later request, on any route, fails.
 * Run with a small direct-memory budget and Netty's leak detector on every buffer, so that a leak shows.
 */
class CallersGoneMidBodyTest {
  static final int CALLERS = 150;
  static ServerSocket deaf;
  static ChildTollgate tollgate;

  @BeforeAll
  static void start() throws IOException {
    // reads nothing, with a small receive buffer so that the gateway soon has to hold its caller back,
    // and lets each connection go after a while
    deaf = new ServerSocket();
    deaf.setReceiveBufferSize(8 * 1024);
    deaf.bind(new InetSocketAddress("127.0.0.1", 0));
    Thread acceptor = new Thread(() -> {
      while (!deaf.isClosed()) {
        try {
          Socket connection = deaf.accept();
          Thread holder = new Thread(() -> hold(connection), "deaf-backend-conn");
          holder.setDaemon(true);
          holder.start();
        } catch (IOException closed) {
          return;
        }
      }
    }, "deaf-backend");
    acceptor.setDaemon(true);
    acceptor.start();
    JsonObject config = TestTollgate.config("callers_gone");
    config.put("routes", new JsonArray().add(new JsonObject().put("path", "/").put("public", true)
        .put("backends", new JsonArray().add("http://127.0.0.1:" + deaf.getLocalPort()))));
    tollgate = ChildTollgate.start(config, "-Xmx128m", "-XX:MaxDirectMemorySize=16m",
        "-Dio.netty.leakDetection.level=paranoid");
  }

  private static void hold(Socket connection) {
    try (connection) {
      sleep(400);
    } catch (IOException ignored) {
      // gone either way
    }
  }

  @AfterAll
  static void stop() throws IOException {
    if (tollgate != null) {
      tollgate.close();
    }
    deaf.close();
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void callersWhoHangUpMidBodyLeaveNothingBehind() throws Exception {
    for (int i = 0; i < CALLERS; i++) {
      Socket socket = new Socket("127.0.0.1", tollgate.uri("/").getPort());
      Thread caller = new Thread(() -> send(socket), "caller");
      caller.start();
      sleep(40); // the gateway has read what it could, and holds the caller back
      socket.close(); // the caller hangs up, its body unfinished
      caller.join();
    }
    RawHttp.Answer after = RawHttp.exchange(tollgate.uri("/").getPort(),
        "GET /after HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    assertEquals(502, after.status(), "the gateway still answers (the deaf backend closes without a word): "
        + after.text());
    assertFalse(tollgate.output().contains("OutOfDirectMemoryError"), "direct memory ran out");
    // the JDK's own wording, when Netty falls back to unpooled buffers
    assertFalse(tollgate.output().contains("direct buffer memory"), "direct memory ran out");
    assertFalse(tollgate.output().contains("LEAK:"), "a buffer was never released");
  }

  /** A head that announces 64 MiB, then body until the connection is closed under it. */
  private static void send(Socket socket) {
    try {
      OutputStream out = socket.getOutputStream();
      out.write(("POST /upload HTTP/1.1\r\nHost: localhost\r\nContent-Length: 67108864\r\n"
          + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      byte[] chunk = new byte[64 * 1024];
      for (int sent = 0; sent < 1024; sent++) {
        out.write(chunk);
      }
    } catch (IOException closed) {
      // as intended
    }
  }
}
