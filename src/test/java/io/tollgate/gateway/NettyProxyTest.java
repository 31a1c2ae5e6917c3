package io.tollgate.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tollgate.RawHttp;
import io.tollgate.ScriptedBackend;
import io.tollgate.TestTollgate;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the Netty-level proxy ({@code TOLLGATE_PROXY=netty}) does that Vert.x's client did not: a
 * kept-alive connection that the backend closes just as a request goes out on it (its close and the
 * request cross on the wire) is retried once on a new connection when the request may be repeated
 * (RFC 9112 §9.3.1, RFC 9110 §9.2.2), and never when it had a body, which is gone.
 */
class NettyProxyTest {
  static String previous;
  static ScriptedBackend backend;
  static TestTollgate tollgate;

  @BeforeAll
  static void start() {
    previous = System.getProperty("tollgate.proxy");
    System.setProperty("tollgate.proxy", "netty");
    // each connection answers its first request kept alive and closes at its second without a word
    backend = new ScriptedBackend(conn -> {
      if (conn.nextHead() != null) {
        conn.write("HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nconn " + conn.number);
        conn.nextHead();
      }
    });
    JsonObject config = TestTollgate.config("netty_proxy");
    config.put("routes", new JsonArray().add(new JsonObject().put("path", "/").put("public", true)
        .put("backends", new JsonArray().add(backend.url()))));
    tollgate = TestTollgate.start(config);
  }

  @AfterAll
  static void stop() {
    tollgate.close();
    backend.close();
    if (previous == null) {
      System.clearProperty("tollgate.proxy");
    } else {
      System.setProperty("tollgate.proxy", previous);
    }
  }

  @Test
  void aKeptAliveConnectionClosedUnderARepeatableRequestIsRetriedOnANewOneButABodyIsNeverReplayed() {
    assertEquals("conn 1", RawHttp.get(tollgate.port(), "localhost", "/a", null).body());
    RawHttp.Answer retried = RawHttp.get(tollgate.port(), "localhost", "/b", null);
    assertEquals(200, retried.status(), retried.text());
    assertEquals("conn 2", retried.body(), "answered on a new connection");
    RawHttp.Answer posted = RawHttp.exchange(tollgate.port(), "POST /c HTTP/1.1\r\nHost: localhost\r\n"
        + "Content-Length: 5\r\nConnection: close\r\n\r\nhello");
    assertEquals(502, posted.status(), "a body that went out once is not sent twice: " + posted.text());
    assertEquals(List.of("1 GET /a HTTP/1.1", "1 GET /b HTTP/1.1", "2 GET /b HTTP/1.1", "2 POST /c HTTP/1.1"),
        backend.heads());
  }
}
