package io.tollgate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tollgate.config.ConfigLoader;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.lang.reflect.Field;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 13 point 5: what starts a timer stops it. Tollgate runs on a Vertx the test owns, as an
 * embedding application's would be; once Tollgate has stopped, none of the timers it set (the rate
 * limit's and the revocation list's sweeps, the answer deadlines of every event loop, a dead
 * backend's probe, the purge, the native-memory trim) is left behind on that Vertx.
 */
class TimersStopTest {
  @Test
  void afterStopNoTimerOfTollgatesIsLeftOnASharedVertx() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      JsonObject config = TestTollgate.config("timers");
      // port 1 refuses connections: the first request marks the backend down and schedules its probe
      config.put("routes", new JsonArray().add(new JsonObject().put("path", "/dead/").put("public", true)
          .put("backends", new JsonArray().add("http://127.0.0.1:1"))));
      Tollgate tollgate = Tollgate.start(vertx, ConfigLoader.parse(config)).await();
      HttpResponse<String> answer = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + tollgate.port() + "/dead/x")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(502, answer.statusCode());
      List<String> running = tollgateTimers(vertx);
      assertTrue(running.stream().anyMatch(t -> t.contains("Backends")), "a probe is scheduled: " + running);
      assertTrue(running.stream().anyMatch(t -> t.contains("RateLimit")), running.toString());
      assertTrue(running.stream().anyMatch(t -> t.contains("AnswerDeadlines")), running.toString());

      tollgate.stop().await();

      assertEquals(List.of(), tollgateTimers(vertx), "timers left after stop");
      Thread.sleep(1_500); // a probe that fired during stop must not have scheduled the next one
      assertEquals(List.of(), tollgateTimers(vertx), "timers set after stop");
    } finally {
      vertx.close().await();
    }
  }

  /** The timers on this Vertx whose handler is one of Tollgate's classes (Vert.x has no public list). */
  private static List<String> tollgateTimers(Vertx vertx) throws ReflectiveOperationException {
    Field timeouts = vertx.getClass().getDeclaredField("timeouts");
    timeouts.setAccessible(true);
    return ((Map<?, ?>) timeouts.get(vertx)).values().stream()
        .map(TimersStopTest::handlerClass)
        .filter(name -> name.startsWith("io.tollgate."))
        .sorted()
        .toList();
  }

  private static String handlerClass(Object timer) {
    try {
      Field handler = timer.getClass().getDeclaredField("handler");
      handler.setAccessible(true);
      return handler.get(timer).getClass().getName();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }
}
