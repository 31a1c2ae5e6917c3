package io.tollgate.cors;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tollgate.TestTollgate;
import io.tollgate.storage.EmbeddedPostgres;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * README "Browsers (CORS)": the set of every registered origin is held in memory, so that the token service
 * answers a preflight without the database. A PostgreSQL of its own, really stopped while the preflights
 * are sent: each is answered all the same (one that queried the database would be a 503).
 */
class PreflightWithoutDatabaseTest {
  @Test
  void theTokenServiceAnswersPreflightsWhileThePostgresqlIsStopped() throws Exception {
    EmbeddedPostgres pg = EmbeddedPostgres.start(Files.createTempDirectory("tollgate-cors-outage"), false);
    TestTollgate tollgate = null;
    try {
      Path file = Files.createTempDirectory("tollgate-bootstrap").resolve("bootstrap.yaml");
      Files.writeString(file, """
          clients:
            - { id: spa, public: true, grant: authorization_code, scopes: [profile], redirectUris: ["https://spa.example/cb"],
                webOrigins: ["https://spa.example"] }
          """);
      JsonObject config = TestTollgate.config("cors_outage").put("bootstrap", file.toString());
      config.put("database", new JsonObject().put("url", pg.url()).put("poolSize", 4));
      tollgate = TestTollgate.start(config);

      assertEquals(204, preflight(tollgate, "https://spa.example").statusCode(), "warm: the first request loads classes");
      pg.suspend();
      try {
        HttpResponse<String> registered = preflight(tollgate, "https://spa.example");
        assertEquals(204, registered.statusCode(), registered.body());
        assertEquals("https://spa.example", registered.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
        assertEquals(403, preflight(tollgate, "https://other.example").statusCode());
      } finally {
        pg.resume();
      }
    } finally {
      if (tollgate != null) {
        tollgate.close();
      }
      pg.close();
    }
  }

  private static HttpResponse<String> preflight(TestTollgate tollgate, String origin) {
    return tollgate.send(HttpRequest.newBuilder(tollgate.uri("/token")).timeout(Duration.ofSeconds(5))
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
        .header("Origin", origin).header("Access-Control-Request-Method", "POST").build());
  }
}
