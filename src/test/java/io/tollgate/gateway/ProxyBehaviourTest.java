package io.tollgate.gateway;

import static io.tollgate.TestTollgate.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.tollgate.RawHttp;
import io.tollgate.RefusingPort;
import io.tollgate.TestTollgate;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Routing over hosts, timeouts, dead backends, framing and the access log, against real backends. */
class ProxyBehaviourTest {
  static Vertx backends;
  static int livePort;
  static RefusingPort dead;
  static int deadPort;
  static final AtomicInteger smuggled = new AtomicInteger();
  static final java.util.Queue<String> uploads = new java.util.concurrent.ConcurrentLinkedQueue<>();
  static TestTollgate tollgate;
  static String ordersToken;
  static final ListAppender<ILoggingEvent> accessLog = new ListAppender<>();

  @BeforeAll
  static void start() throws Exception {
    backends = Vertx.vertx();
    HttpServer live = backends.createHttpServer().requestHandler(req -> {
      if (req.path().startsWith("/slow/")) {
        backends.setTimer(2_000, id -> req.response().end("late"));
      } else if (req.path().startsWith("/echo/upload/")) {
        req.body().onComplete(body -> uploads.add(body.succeeded() ? "complete" : "broken"));
      } else if (req.path().startsWith("/drip/")) {
        req.response().setChunked(true);
        AtomicInteger left = new AtomicInteger(10);
        backends.setPeriodic(100, id -> {
          if (left.decrementAndGet() < 0) {
            backends.cancelTimer(id);
            req.response().end("end");
          } else {
            req.response().write("drop ");
          }
        });
      } else if (req.path().startsWith("/stall/")) {
        req.response().setChunked(true).write("the first part, then silence"); // never ends
      } else {
        if (req.path().contains("smuggle")) {
          smuggled.incrementAndGet();
        }
        req.response().putHeader("Content-Type", "application/json")
            .end(new JsonObject().put("backend", "live").put("path", req.path()).encode());
      }
    }).listen(0, "127.0.0.1").await();
    livePort = live.actualPort();
    dead = RefusingPort.take();
    deadPort = dead.port();
    String liveUrl = "http://127.0.0.1:" + livePort;
    JsonObject config = TestTollgate.config("proxy");
    config.put("routes", new JsonArray()
        .add(route("/v1/orders/", liveUrl).put("scopes", new JsonArray().add("orders"))
            .put("hosts", new JsonArray().add("api.profix-it.nl").add("*.profix-it.be")))
        .add(route("/slow/", liveUrl).put("timeout", 300))
        .add(route("/stall/", liveUrl).put("timeout", 300))
        .add(route("/drip/", liveUrl).put("timeout", 300))
        .add(route("/pair/", "http://127.0.0.1:" + deadPort).put("backends",
            new JsonArray().add("http://127.0.0.1:" + deadPort).add(liveUrl)))
        .add(route("/echo/", liveUrl)));
    Logger logger = (Logger) LoggerFactory.getLogger("tollgate.access");
    accessLog.start();
    logger.addAppender(accessLog);
    tollgate = TestTollgate.start(config);
    ordersToken = json(tollgate.postForm("/token", "b81cc4de-d192-400e-bcb4-09254394c52a:n3G7KAhcv8OH",
        "grant_type", "password", "username", "demo@profix-it.nl", "password", "demo-password"))
        .getString("access_token");
  }

  private static JsonObject route(String path, String backend) {
    return new JsonObject().put("path", path).put("backends", new JsonArray().add(backend));
  }

  @AfterAll
  static void stop() {
    ((Logger) LoggerFactory.getLogger("tollgate.access")).detachAppender(accessLog);
    tollgate.close();
    backends.close().await();
  }

  @Test
  void oneTokenIsValidOnEveryHostOfTheRoute() {
    for (String host : new String[] {"api.profix-it.nl", "api.profix-it.be", "shop.profix-it.be:443"}) {
      RawHttp.Answer answer = RawHttp.get(tollgate.port(), host, "/v1/orders/7", ordersToken);
      assertEquals(200, answer.status(), host + ": " + answer.text());
      assertEquals("/v1/orders/7", new JsonObject(answer.body()).getString("path"));
    }
    assertEquals(404, RawHttp.get(tollgate.port(), "api.example.com", "/v1/orders/7", ordersToken).status(),
        "a host of no route");
    assertEquals(404, RawHttp.get(tollgate.port(), "profix-it.be", "/v1/orders/7", ordersToken).status(),
        "*.profix-it.be is for subdomains only");
  }

  @Test
  void aBackendSlowerThanTheRouteTimeoutIs504() {
    long start = System.nanoTime();
    HttpResponse<String> response = get("/slow/x");
    assertEquals(504, response.statusCode(), response.body());
    assertEquals("gateway_timeout", json(response).getString("error"));
    assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
    assertTrue((System.nanoTime() - start) / 1_000_000 < 1_900, "answered at the timeout, not when the backend did");
  }

  @Test
  void aBackendThatFallsSilentMidAnswerCostsTheCallerItsConnectionNotAHang() {
    long start = System.nanoTime();
    HttpRequest request = HttpRequest.newBuilder(tollgate.uri("/stall/x")).timeout(Duration.ofSeconds(15))
        .header("Authorization", "Bearer " + ordersToken).build();
    IOException broken = assertThrows(IOException.class,
        () -> HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()));
    assertFalse(broken instanceof HttpTimeoutException, "the gateway closed the connection: " + broken);
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertTrue(millis < 5_000, "closed a little after the route's timeout, not at the caller's: " + millis + " ms");
  }

  @Test
  void theRouteTimeoutCountsSilenceNotTheLengthOfAnAnswerThatKeepsComing() {
    HttpResponse<String> response = get("/drip/x"); // ten chunks 100 ms apart, three times the timeout in all
    assertEquals(200, response.statusCode());
    assertEquals("drop ".repeat(10) + "end", response.body());
  }

  @Test
  void aCallerGoneMidBodyNeverLooksLikeACompleteBodyToTheBackend() throws Exception {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", tollgate.port())) {
      socket.getOutputStream().write(("POST /echo/upload/x HTTP/1.1\r\nHost: localhost\r\n"
          + "Authorization: Bearer " + ordersToken + "\r\nTransfer-Encoding: chunked\r\n\r\n"
          + "5\r\nhello\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      Thread.sleep(300); // the first chunk reaches the backend, then the caller goes away
    }
    long deadline = System.currentTimeMillis() + 5_000;
    while (uploads.isEmpty() && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
    }
    assertEquals("broken", uploads.poll(), "the backend saw the body broken off, not ended");
  }

  @Test
  void aRefusingBackendIsSkippedUntilItAcceptsAgain() throws Exception {
    for (int i = 0; i < 6; i++) {
      HttpResponse<String> response = get("/pair/" + i);
      assertEquals(200, response.statusCode(), "the live backend answers every request: " + response.body());
      assertEquals("live", json(response).getString("backend"));
    }
    dead.release();
    HttpServer revived = backends.createHttpServer()
        .requestHandler(req -> req.response().end(new JsonObject().put("backend", "revived").encode()))
        .listen(deadPort, "127.0.0.1").await();
    try {
      Set<String> seen = new HashSet<>();
      long deadline = System.currentTimeMillis() + 5_000;
      while (!seen.contains("revived") && System.currentTimeMillis() < deadline) {
        HttpResponse<String> response = get("/pair/again");
        assertEquals(200, response.statusCode());
        seen.add(json(response).getString("backend"));
        Thread.sleep(50);
      }
      assertTrue(seen.contains("revived"), "the probe brought the backend back into rotation");
    } finally {
      revived.close().await();
    }
  }

  @Test
  void ambiguousFramingIsRefusedAndNeverReachesTheBackend() {
    String[] attacks = {
        "POST /echo/smuggle HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + ordersToken
            + "\r\nTransfer-Encoding: gzip, chunked\r\nConnection: close\r\n\r\n0\r\n\r\n",
        "POST /echo/smuggle HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + ordersToken
            + "\r\nTransfer-Encoding: identity\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc",
    };
    for (String attack : attacks) {
      RawHttp.Answer answer = RawHttp.exchange(tollgate.port(), attack);
      assertEquals(400, answer.status(), answer.text());
    }
    assertEquals(0, smuggled.get(), "the backend saw none of them");
  }

  @Test
  void theAccessLogHasOneLinePerRequestAndNeverTheToken() throws Exception {
    assertEquals(200, tollgate.send(HttpRequest.newBuilder(
        tollgate.uri("/echo/logged?_bearer_token=" + ordersToken + "&x=1")).build()).statusCode());
    String line = null;
    for (int i = 0; i < 50 && line == null; i++) {
      line = accessLog.list.stream().map(ILoggingEvent::getFormattedMessage)
          .filter(l -> l.contains("/echo/logged")).findFirst().orElse(null);
      Thread.sleep(20);
    }
    assertTrue(line != null, "a line for the request");
    assertTrue(line.startsWith("GET 127.0.0.1:" + tollgate.port() + " /echo/logged 200 "), line);
    assertTrue(line.contains("client=b81cc4de-d192-400e-bcb4-09254394c52a"), line);
    assertTrue(line.contains("backend=http://127.0.0.1:" + livePort), line);
    for (ILoggingEvent event : accessLog.list) {
      assertFalse(event.getFormattedMessage().contains(ordersToken.substring(20, 60)), "no token in the log");
    }
  }

  private static HttpResponse<String> get(String path) {
    return tollgate.send(HttpRequest.newBuilder(tollgate.uri(path))
        .header("Authorization", "Bearer " + ordersToken).build());
  }
}
