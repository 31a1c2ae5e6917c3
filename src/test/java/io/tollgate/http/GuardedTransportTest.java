package io.tollgate.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.impl.VertxConnection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The transport's additions to every accepted connection's pipeline (issue 15): flush consolidation
 * closest to the socket, then the framing guard ahead of the decoder; and that a flush made outside
 * any read of the connection (an answer written later, from a timer, as the gateway writes a
 * backend's answer to its caller from another connection's read) still goes out.
 */
final class GuardedTransportTest {
  private static Vertx vertx;
  private static HttpServer server;
  private static final Promise<List<String>> serverPipeline = Promise.promise();

  @BeforeAll
  static void start() throws Exception {
    VertxOptions options = new VertxOptions();
    vertx = GuardedTransport.vertx(options, GuardedTransport.named(null, why -> { }));
    server = vertx.createHttpServer().requestHandler(request -> {
      serverPipeline.tryComplete(((VertxConnection) request.connection()).channel().pipeline().names());
      // answered from a timer: no read of this connection is in progress when it is written and flushed
      vertx.setTimer(20, t -> request.response().end("late"));
    }).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void acceptedConnectionsConsolidateFlushesAndLateAnswersStillGoOut() throws Exception {
    HttpClient client = vertx.createHttpClient();
    String body = client.request(HttpMethod.GET, server.actualPort(), "127.0.0.1", "/")
        .compose(request -> request.send().compose(HttpClientResponse::body))
        .await(10, TimeUnit.SECONDS).toString();
    assertEquals("late", body);

    List<String> accepted = serverPipeline.future().await(10, TimeUnit.SECONDS);
    assertEquals(GuardedTransport.FLUSHES, accepted.get(0), "closest to the socket: " + accepted);
    assertEquals(Http1FramingGuard.NAME, accepted.get(1), "the guard next, ahead of the decoder: " + accepted);
  }
}
