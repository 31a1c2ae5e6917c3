package io.tollgate.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** An exception nobody expected on the gateway path: a 500 at once, one log line without its message. */
class LastResortTest {

  @Test
  void anUnexpectedExceptionIsAnswered500AtOnceAndLoggedWithoutItsMessage() throws Exception {
    ListAppender<ILoggingEvent> log = new ListAppender<>();
    log.start();
    ((Logger) LoggerFactory.getLogger(LastResort.class)).addAppender(log);
    Vertx vertx = Vertx.vertx();
    try {
      HttpServer server = vertx.createHttpServer()
          .requestHandler(request -> LastResort.guard(request, () -> {
            throw new IllegalStateException("claim value eyJhbGciOiJFUzI1NiJ9.secret");
          }))
          .listen(0, "127.0.0.1").await();
      HttpResponse<String> answer = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + "/v1/a;x=1?_bearer_token=t"))
              .timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(500, answer.statusCode());
      assertEquals("server_error", new JsonObject(answer.body()).getString("error"));
      assertEquals(1, log.list.size());
      String line = log.list.get(0).getFormattedMessage();
      assertTrue(line.contains("IllegalStateException"), line);
      assertFalse(line.contains("secret") || line.contains("eyJ") || line.contains("_bearer_token"), line);
      assertTrue(log.list.get(0).getThrowableProxy() == null, "no stack trace");
    } finally {
      vertx.close().await();
    }
  }
}
