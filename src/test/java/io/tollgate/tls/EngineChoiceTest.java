package io.tollgate.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.tollgate.TestTollgate;
import io.tollgate.tls.TestCertificates.Pair;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.OpenSSLEngineOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** {@code http.tls.engine}: BoringSSL by default where it loads, the JDK's on request; the log says which. */
class EngineChoiceTest {
  private static List<String> started(String engine, Pair fallback, Pair nl, TestCertificates ca) throws Exception {
    ListAppender<ILoggingEvent> log = new ListAppender<>();
    log.start();
    Logger logger = (Logger) LoggerFactory.getLogger(ServerTls.class);
    logger.addAppender(log);
    JsonObject tls = new JsonObject().put("cert", fallback.cert().toString()).put("key", fallback.key().toString())
        .put("hosts", new JsonArray().add(new JsonObject().put("names", new JsonArray().add("api.profix-it.nl"))
            .put("cert", nl.cert().toString()).put("key", nl.key().toString())));
    if (engine != null) {
      tls.put("engine", engine);
    }
    JsonObject config = TestTollgate.config("tls_engine_" + (engine == null ? "default" : engine));
    config.getJsonObject("http").put("tls", tls);
    try (TestTollgate tollgate = TestTollgate.start(config)) {
      // the same listener on either engine: SNI and h2
      assertEquals(List.of("api.profix-it.nl"), TlsClients.names(TlsClients.served(tollgate.port(), "api.profix-it.nl")));
      HttpResponse<String> health = HttpClient.newBuilder().sslContext(ca.trustingContext()).build()
          .send(HttpRequest.newBuilder(URI.create("https://localhost:" + tollgate.port() + "/health")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(HttpClient.Version.HTTP_2, health.version());
      assertEquals(200, health.statusCode());
    } finally {
      logger.detachAppender(log);
    }
    return log.list.stream().map(ILoggingEvent::getFormattedMessage).filter(m -> m.startsWith("TLS engine")).toList();
  }

  @Test
  void theLogSaysWhichEngineServes() throws Exception {
    TestCertificates ca = TestCertificates.create("Engine CA");
    Pair fallback = ca.ec("default", "localhost");
    Pair nl = ca.ec("nl", "api.profix-it.nl");
    List<String> jdk = started("jdk", fallback, nl, ca);
    assertEquals(List.of("TLS engine: JDK (http.tls.engine: jdk)"), jdk);
    List<String> preferred = started(null, fallback, nl, ca);
    assertEquals(1, preferred.size(), preferred.toString());
    // netty-tcnative-boringssl-static ships the linux-x86_64 library: where it loads, it is the default
    String expected = OpenSSLEngineOptions.isAvailable() ? "TLS engine: OpenSSL (BoringSSL)" : "TLS engine: JDK (OpenSSL does not load";
    assertTrue(preferred.get(0).startsWith(expected), preferred.toString());
  }
}
