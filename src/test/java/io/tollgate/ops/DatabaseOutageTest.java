package io.tollgate.ops;

import static io.tollgate.TestTollgate.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tollgate.TestTollgate;
import io.tollgate.storage.EmbeddedPostgres;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Issue 7: while PostgreSQL is down the gateway goes on (fail-static), the token endpoint answers
 * 503 {@code temporarily_unavailable} at once, {@code /ready} is not ready; all recovers by itself.
 * A PostgreSQL of its own, really stopped and started again.
 */
class DatabaseOutageTest {
  static final String CLIENT = "s6BhdRkqt3:gX1fBat3bV";

  @Test
  void theGatewayOutlivesTheDatabaseAndEverythingRecovers() throws Exception {
    EmbeddedPostgres pg = EmbeddedPostgres.start(Files.createTempDirectory("tollgate-outage"), false);
    Vertx vertx = Vertx.vertx();
    TestTollgate tollgate = null;
    try {
      HttpServer backend = vertx.createHttpServer().requestHandler(req -> req.response().end("{}"))
          .listen(0, "127.0.0.1").await();
      JsonObject config = TestTollgate.config("outage");
      config.put("database", new JsonObject().put("url", pg.url()).put("poolSize", 4));
      config.put("routes", new JsonArray().add(new JsonObject().put("path", "/api/")
          .put("backends", new JsonArray().add("http://127.0.0.1:" + backend.actualPort()))));
      tollgate = TestTollgate.start(config);
      TestTollgate t = tollgate;
      String used = issue(t);
      String unused = issue(t);
      assertEquals(200, call(t, used));

      pg.suspend();
      assertEquals(200, call(t, used), "a cached token still passes");
      assertEquals(200, call(t, unused), "a token never seen before is verified locally");
      long start = System.nanoTime();
      HttpResponse<String> refused = t.postForm("/token", CLIENT, "grant_type", "client_credentials");
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertEquals(503, refused.statusCode(), refused.body());
      assertEquals("temporarily_unavailable", json(refused).getString("error"));
      assertTrue(millis < 6_000, "answered without hanging: " + millis + " ms");
      assertEquals(503, t.get("/ready").statusCode());

      pg.resume();
      assertTrue(eventually(() -> t.get("/ready").statusCode() == 200), "ready again");
      assertTrue(eventually(() -> t.postForm("/token", CLIENT, "grant_type", "client_credentials").statusCode() == 200),
          "tokens again");
      // the revocation feed is listening again: a revocation now reaches the gateway
      assertTrue(eventually(() -> {
        String token = issue(t);
        call(t, token);
        t.postForm("/token/revoke", CLIENT, "token", token);
        return eventuallyWithin(1_000, () -> call(t, token) == 401);
      }), "revocations flow again");
    } finally {
      if (tollgate != null) {
        tollgate.close();
      }
      vertx.close().await();
      pg.close();
    }
  }

  private static String issue(TestTollgate t) {
    return json(t.postForm("/token", CLIENT, "grant_type", "client_credentials")).getString("access_token");
  }

  private static int call(TestTollgate t, String token) {
    return t.send(HttpRequest.newBuilder(t.uri("/api/x")).header("Authorization", "Bearer " + token).build())
        .statusCode();
  }

  private static boolean eventually(Supplier<Boolean> condition) {
    return eventuallyWithin(20_000, condition);
  }

  private static boolean eventuallyWithin(long millis, Supplier<Boolean> condition) {
    long deadline = System.currentTimeMillis() + millis;
    while (System.currentTimeMillis() < deadline) {
      if (condition.get()) {
        return true;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return false;
  }
}
