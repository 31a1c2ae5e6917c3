package io.tollgate.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tollgate.RawHttp;
import io.tollgate.ScriptedBackend;
import io.tollgate.TestTollgate;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The gateway's connections to backends, on either proxy (README, "Configuration reference",
 * {@code TOLLGATE_PROXY}): kept alive and reused, a backend that closes an idle one, a backend that
 * dies mid-answer, and a caller too slow for a large answer, which must hold the backend back
 * rather than be buffered for.
 */
class BackendConnectionsTest {
  static final long LARGE = 128L * 1024 * 1024;
  static Vertx vertx;
  static final AtomicInteger connections = new AtomicInteger();
  static final AtomicLong largeSent = new AtomicLong();
  static ScriptedBackend closing;
  static ScriptedBackend dying;
  static ScriptedBackend announcing;
  static TestTollgate tollgate;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    HttpServer live = vertx.createHttpServer().connectionHandler(conn -> connections.incrementAndGet())
        .requestHandler(req -> {
          if (req.path().startsWith("/live/large")) {
            large(req.response());
          } else {
            req.response().end("ok " + req.path());
          }
        }).listen(0, "127.0.0.1").await();
    // answers each request kept alive, then closes the connection 100 ms later, as a short idle timeout would
    closing = new ScriptedBackend(conn -> {
      while (conn.nextHead() != null) {
        conn.write("HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nconn " + conn.number);
        sleep(100);
        return;
      }
    });
    // declares a body and dies partway, with a Content-Length or in chunks
    dying = new ScriptedBackend(conn -> {
      String head = conn.nextHead();
      if (head != null && head.startsWith("GET /dying/length")) {
        conn.write("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\nthe first bytes");
      } else if (head != null) {
        conn.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nfirst\r\n");
      }
      sleep(200);
    });
    // keeps every connection open, but says it closes them after a second idle (Keep-Alive: timeout=1)
    announcing = new ScriptedBackend(conn -> {
      while (conn.nextHead() != null) {
        conn.write("HTTP/1.1 200 OK\r\nKeep-Alive: timeout=1, max=100\r\nContent-Length: 6\r\n\r\nconn " + conn.number);
      }
    });
    JsonObject config = TestTollgate.config("backend_connections");
    config.put("routes", new JsonArray()
        .add(route("/live/", "http://127.0.0.1:" + live.actualPort()))
        .add(route("/closing/", closing.url()))
        .add(route("/dying/", dying.url()))
        .add(route("/announcing/", announcing.url())));
    tollgate = TestTollgate.start(config);
  }

  static JsonObject route(String path, String backend) {
    return new JsonObject().put("path", path).put("public", true).put("backends", new JsonArray().add(backend));
  }

  @AfterAll
  static void stop() {
    tollgate.close();
    closing.close();
    dying.close();
    announcing.close();
    vertx.close().await();
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** As fast as the gateway takes it, counting what it took: a gateway that buffered would take it all at once. */
  private static void large(HttpServerResponse response) {
    response.putHeader("Content-Length", Long.toString(LARGE));
    Buffer chunk = Buffer.buffer(new byte[64 * 1024]);
    Runnable[] pump = new Runnable[1];
    pump[0] = () -> {
      while (largeSent.get() < LARGE && !response.writeQueueFull()) {
        response.write(chunk);
        largeSent.addAndGet(chunk.length());
      }
      if (largeSent.get() >= LARGE) {
        response.end();
      } else {
        response.drainHandler(v -> pump[0].run());
      }
    };
    pump[0].run();
  }

  @Test
  void requestsOneAfterAnotherShareOneKeptAliveBackendConnection() {
    int before = connections.get();
    for (int i = 0; i < 20; i++) {
      RawHttp.Answer answer = RawHttp.get(tollgate.port(), "localhost", "/live/" + i, null);
      assertEquals(200, answer.status(), answer.text());
      assertEquals("ok /live/" + i, answer.body());
    }
    assertTrue(connections.get() - before <= 1, "one backend connection for 20 requests, not " + (connections.get() - before));
  }

  @Test
  void aBackendThatClosesAnIdleKeptAliveConnectionCostsTheNextRequestNothing() {
    for (int i = 1; i <= 3; i++) {
      RawHttp.Answer answer = RawHttp.get(tollgate.port(), "localhost", "/closing/" + i, null);
      assertEquals(200, answer.status(), answer.text());
      assertEquals("conn " + i, answer.body(), "each request on a new connection, the closed one left");
      sleep(400); // the backend has closed the kept-alive connection meanwhile
    }
  }

  @Test
  void aConnectionIsNotReusedAfterTheIdleTimeoutTheBackendAnnounced() {
    assertEquals("conn 1", RawHttp.get(tollgate.port(), "localhost", "/announcing/a", null).body());
    assertEquals("conn 1", RawHttp.get(tollgate.port(), "localhost", "/announcing/b", null).body(),
        "reused within the announced second");
    sleep(2_300); // the backend would have closed it by now (Vert.x's client sweeps its pool once a second)
    RawHttp.Answer later = RawHttp.get(tollgate.port(), "localhost", "/announcing/c", null);
    assertEquals(200, later.status(), later.text());
    assertEquals("conn 2", later.body(), "a connection past the backend's Keep-Alive timeout is left, not reused");
  }

  @Test
  void aBackendDyingMidAnswerClosesTheCallersConnectionBeforeTheDeclaredLength() {
    // kept alive: only the gateway's close ends this read (RawHttp reads until the connection closes)
    RawHttp.Answer answer = RawHttp.exchange(tollgate.port(), "GET /dying/length HTTP/1.1\r\nHost: localhost\r\n\r\n");
    assertEquals(200, answer.status(), answer.text());
    assertTrue(answer.text().contains("\r\nContent-Length: 100000\r\n"), answer.text());
    assertEquals("the first bytes", answer.body(), "the connection closed after what came: short of its length");
  }

  @Test
  void aBackendDyingMidChunkedAnswerNeverSendsTheLastChunk() {
    RawHttp.Answer answer = RawHttp.exchange(tollgate.port(), "GET /dying/chunks HTTP/1.1\r\nHost: localhost\r\n\r\n");
    assertEquals(200, answer.status(), answer.text());
    assertTrue(answer.body().startsWith("5\r\nfirst\r\n"), answer.text());
    assertFalse(answer.body().contains("0\r\n\r\n"), "the caller must not see a complete answer: " + answer.text());
  }

  @Test
  void aSlowCallerOfALargeAnswerHoldsTheBackendBack() throws Exception {
    try (Socket socket = new Socket()) {
      socket.setReceiveBufferSize(64 * 1024);
      socket.connect(new InetSocketAddress("127.0.0.1", tollgate.port()));
      socket.setSoTimeout(30_000);
      socket.getOutputStream().write("GET /live/large HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII));
      InputStream in = socket.getInputStream();
      String head = head(in);
      assertTrue(head.startsWith("HTTP/1.1 200"), head);
      Thread.sleep(2_000); // the caller reads nothing for a while
      long whilePaused = largeSent.get();
      assertTrue(whilePaused < LARGE / 4, "the backend was held back, not drained into the gateway: " + whilePaused);
      long body = 0;
      byte[] buffer = new byte[64 * 1024];
      for (int n; (n = in.read(buffer)) > 0; ) {
        body += n;
      }
      assertEquals(LARGE, body, "and the whole answer arrives once the caller reads");
    }
  }

  private static String head(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    for (int b; matched < 4 && (b = in.read()) >= 0; ) {
      head.write(b);
      matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : b == '\r' ? 1 : 0;
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }
}
