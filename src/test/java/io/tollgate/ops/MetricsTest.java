package io.tollgate.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tollgate.RefusingPort;
import io.tollgate.TestTollgate;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** README "Metrics", issue 7: /metrics in Prometheus format, counting what actually happened. */
class MetricsTest {
  static Vertx vertx;
  static TestTollgate tollgate;
  static int deadPort;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    HttpServer backend = vertx.createHttpServer().requestHandler(req -> req.response().end("{}"))
        .listen(0, "127.0.0.1").await();
    deadPort = RefusingPort.take().port();
    JsonObject config = TestTollgate.config("metrics");
    config.put("management", new JsonObject().put("host", "127.0.0.1").put("port", 0));
    config.put("routes", new JsonArray()
        .add(new JsonObject().put("path", "/echo/").put("scopes", new JsonArray().add("profile"))
            .put("backends", new JsonArray().add("http://127.0.0.1:" + backend.actualPort())))
        .add(new JsonObject().put("path", "/orders/").put("scopes", new JsonArray().add("orders"))
            .put("backends", new JsonArray().add("http://127.0.0.1:" + backend.actualPort())))
        .add(new JsonObject().put("path", "/dead/")
            .put("backends", new JsonArray().add("http://127.0.0.1:" + deadPort))));
    tollgate = TestTollgate.start(config);
  }

  @AfterAll
  static void stop() {
    tollgate.close();
    vertx.close().await();
  }

  @Test
  void whatHappenedShowsInTheMetrics() throws InterruptedException {
    String token = TestTollgate.json(tollgate.postForm("/token", "s6BhdRkqt3:gX1fBat3bV",
        "grant_type", "client_credentials")).getString("access_token");
    assertEquals(200, call("/echo/a", token).statusCode());
    assertEquals(200, call("/echo/b", token).statusCode());
    assertEquals(401, call("/echo/c", null).statusCode());
    assertEquals(401, call("/echo/d", token.substring(0, token.length() - 3) + "AAA").statusCode());
    assertEquals(403, call("/orders/1", token).statusCode());
    assertEquals(502, call("/dead/1", token).statusCode());

    String metrics = scrape();
    assertEquals(2.0, value(metrics, "tollgate_http_requests_seconds_count{method=\"GET\",route=\"/echo/\",status=\"200\"}"));
    assertEquals(1.0, value(metrics, "tollgate_http_requests_seconds_count{method=\"POST\",route=\"/token\",status=\"200\"}"));
    assertTrue(metrics.contains("tollgate_http_requests_seconds_bucket{method=\"GET\",route=\"/echo/\",status=\"200\",le=\"0.1\"}"),
        "a latency histogram");
    assertEquals(1.0, value(metrics, "tollgate_tokens_issued_total{grant=\"client_credentials\"}"));
    assertEquals(1.0, value(metrics, "tollgate_token_rejections_total{reason=\"missing\"}"));
    assertEquals(1.0, value(metrics, "tollgate_token_rejections_total{reason=\"bad_signature\"}"));
    assertEquals(1.0, value(metrics, "tollgate_token_rejections_total{reason=\"insufficient_scope\"}"));
    assertEquals(1.0, value(metrics, "tollgate_backend_errors_total{backend=\"http://127.0.0.1:" + deadPort + "\",status=\"502\"}"));
    assertTrue(value(metrics, "tollgate_db_pool_connections") >= 1.0);
    assertEquals(0.0, value(metrics, "tollgate_revocations_live"));
    assertTrue(metrics.contains("jvm_memory_used_bytes{area=\"heap\""), "JVM meters");

    assertEquals(200, tollgate.postForm("/token/revoke", "s6BhdRkqt3:gX1fBat3bV", "token", token).statusCode());
    // the revocation reaches the list by NOTIFY, asynchronously
    double live = 0;
    for (int i = 0; i < 50 && live == 0; i++) {
      Thread.sleep(20);
      live = value(scrape(), "tollgate_revocations_live");
    }
    assertEquals(1.0, live, "the revoked token is in the live list");
  }

  @Test
  void metricsAreOnTheManagementListenerOnly() {
    assertEquals(404, tollgate.get("/metrics").statusCode(), "not on the public listener");
    HttpResponse<String> health = tollgate.send(HttpRequest.newBuilder(management("/health")).build());
    assertEquals(200, health.statusCode());
  }

  private static String scrape() {
    HttpResponse<String> response = tollgate.send(HttpRequest.newBuilder(management("/metrics")).build());
    assertEquals(200, response.statusCode());
    assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
    return response.body();
  }

  private static URI management(String path) {
    return URI.create("http://127.0.0.1:" + tollgate.managementPort() + path);
  }

  private static double value(String metrics, String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(metrics);
    assertTrue(m.find(), "no series " + series);
    return Double.parseDouble(m.group(1));
  }

  private static HttpResponse<String> call(String path, String token) {
    HttpRequest.Builder request = HttpRequest.newBuilder(tollgate.uri(path));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return tollgate.send(request.build());
  }
}
