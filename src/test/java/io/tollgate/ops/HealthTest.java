package io.tollgate.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tollgate.TestTollgate;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HealthTest {
  static TestTollgate tollgate;

  @BeforeAll
  static void start() {
    tollgate = TestTollgate.start("health");
  }

  @AfterAll
  static void stop() {
    tollgate.close();
  }

  @Test
  void healthAnswersUp() {
    HttpResponse<String> response = tollgate.get("/health");
    assertEquals(200, response.statusCode());
    assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
    assertTrue(response.body().contains("\"UP\""));
  }

  @Test
  void readyWhenTheDatabaseIsMigrated() {
    HttpResponse<String> response = tollgate.get("/ready");
    assertEquals(200, response.statusCode(), response.body());
  }
}
