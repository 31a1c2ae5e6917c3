package io.tollgate.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tollgate.ChildTollgate;
import io.tollgate.TestTollgate;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** README "Operations", shutdown: SIGTERM stops accepting, lets in-flight requests finish, and exits 0. */
class GracefulShutdownTest {

  @Test
  void sigtermLetsASlowProxiedRequestFinishThenExitsZero() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      HttpServer backend = vertx.createHttpServer()
          .requestHandler(req -> vertx.setTimer(1_500, id -> req.response().end("finished")))
          .listen(0, "127.0.0.1").await();
      JsonObject config = TestTollgate.config("shutdown");
      config.put("routes", new JsonArray().add(new JsonObject().put("path", "/slow/").put("public", true)
          .put("backends", new JsonArray().add("http://127.0.0.1:" + backend.actualPort()))));
      ChildTollgate tollgate = ChildTollgate.start(config);
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      CompletableFuture<HttpResponse<String>> inFlight = http.sendAsync(
          HttpRequest.newBuilder(tollgate.uri("/slow/x")).build(), HttpResponse.BodyHandlers.ofString());
      Thread.sleep(400);

      tollgate.process().destroy(); // SIGTERM
      Thread.sleep(300);
      assertThrows(IOException.class, () -> HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(tollgate.uri("/health")).build(), HttpResponse.BodyHandlers.ofString()),
          "no new connections once stopping");

      HttpResponse<String> response = inFlight.get(10, TimeUnit.SECONDS);
      assertEquals(200, response.statusCode());
      assertEquals("finished", response.body());
      assertTrue(tollgate.process().waitFor(30, TimeUnit.SECONDS), "the process ends");
      assertEquals(0, tollgate.process().exitValue(), tollgate.output());
      assertTrue(tollgate.output().contains("stopped"), tollgate.output());
    } finally {
      vertx.close().await();
    }
  }

  @Test
  void sigtermWhileStartingFinishesTheStartThenStopsCleanly() throws Exception {
    ChildTollgate tollgate = ChildTollgate.launch(TestTollgate.config("shutdown-early"));
    long deadline = System.currentTimeMillis() + 60_000;
    while (!tollgate.output().contains("applied schema migration") && System.currentTimeMillis() < deadline) {
      Thread.sleep(20); // past the JVM's own start, in the middle of Tollgate's
    }
    tollgate.process().destroy(); // SIGTERM, as docker stop sends it
    assertTrue(tollgate.process().waitFor(60, TimeUnit.SECONDS), "the process ends");
    assertEquals(0, tollgate.process().exitValue(), tollgate.output());
    assertTrue(tollgate.output().contains("stopped"), "a clean stop: " + tollgate.output());
  }
}
