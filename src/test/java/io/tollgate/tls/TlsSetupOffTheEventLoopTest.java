package io.tollgate.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.read.ListAppender;
import io.tollgate.TestTollgate;
import io.tollgate.Tollgate;
import io.tollgate.config.ConfigLoader;
import io.tollgate.http.GuardedTransport;
import io.tollgate.tls.TestCertificates.Pair;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Reading the TLS configuration (files, PEM, a signature per key pair) happens on a worker, at start
 * as Main does it and at a reload, never on an event loop: under a blocked-thread checker with a
 * 20 ms limit, no warning points into the TLS setup.
 */
class TlsSetupOffTheEventLoopTest {
  /** Frames of the TLS setup: our readers, and the key store Vert.x's PEM options build (PBKDF2). */
  private static final List<String> SETUP = List.of("io.tollgate.config.ConfigLoader.parse", "io.tollgate.config.TlsSection",
      "io.tollgate.tls.Pem", "io.tollgate.tls.ServerTls.read", "KeyStoreHelper", "PKCS12KeyStore", "PBKDF2", "PemKeyCertOptions");

  @Test
  void noBlockedThreadWarningPointsIntoTheTlsSetup() throws Exception {
    TestCertificates ca = TestCertificates.create("Setup CA");
    Pair fallback = ca.rsa("default", "localhost");
    JsonArray hosts = new JsonArray();
    List<Pair> pairs = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Pair pair = ca.rsa("host" + i, "api" + i + ".profix-it.nl");
      pairs.add(pair);
      hosts.add(new JsonObject().put("names", new JsonArray().add("api" + i + ".profix-it.nl"))
          .put("cert", pair.cert().toString()).put("key", pair.key().toString()));
    }
    JsonObject config = TestTollgate.config("tls_setup_loop");
    config.getJsonObject("http").put("tls", new JsonObject().put("cert", fallback.cert().toString())
        .put("key", fallback.key().toString()).put("hosts", hosts));
    Path file = Files.createTempDirectory("tollgate-tls-setup").resolve("tollgate.yaml");
    TestTollgate.write(file, config);

    ListAppender<ILoggingEvent> warnings = new ListAppender<>();
    warnings.start();
    Logger checker = (Logger) LoggerFactory.getLogger("io.vertx.core.impl.BlockedThreadChecker");
    checker.addAppender(warnings);
    VertxOptions options = new VertxOptions()
        .setMaxEventLoopExecuteTime(20).setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
        .setWarningExceptionTime(20).setWarningExceptionTimeUnit(TimeUnit.MILLISECONDS)
        .setBlockedThreadCheckInterval(5);
    Vertx vertx = GuardedTransport.vertx(options, GuardedTransport.named(System.getenv("TOLLGATE_TRANSPORT"), why -> { }));
    try {
      // as Main starts: the file read and checked, then the listeners
      Tollgate tollgate = ConfigLoader.load(vertx, file, Map.of())
          .compose(parsed -> Tollgate.start(vertx, parsed, file, Map.of())).await();
      try {
        assertEquals(TestCertificates.certificate(pairs.get(2).cert()), TlsClients.served(tollgate.port(), "api2.profix-it.nl"));
        tollgate.reload().await(); // SIGHUP: the file and every certificate read again
        assertEquals(TestCertificates.certificate(pairs.get(3).cert()), TlsClients.served(tollgate.port(), "api3.profix-it.nl"));
      } finally {
        tollgate.stop().await();
      }
    } finally {
      vertx.close().await();
      checker.detachAppender(warnings);
    }
    List<String> inSetup = new ArrayList<>();
    for (ILoggingEvent event : new ArrayList<>(warnings.list)) {
      String frames = frames(event.getThrowableProxy());
      if (SETUP.stream().anyMatch(frames::contains)) {
        inSetup.add(event.getFormattedMessage() + "\n" + frames);
      }
    }
    assertTrue(inSetup.isEmpty(), "blocked in the TLS setup:\n" + String.join("\n", inSetup));
  }

  private static String frames(IThrowableProxy thrown) {
    StringBuilder text = new StringBuilder();
    if (thrown != null) {
      for (StackTraceElementProxy frame : thrown.getStackTraceElementProxyArray()) {
        text.append("  ").append(frame.getSTEAsString()).append('\n');
      }
    }
    return text.toString();
  }
}
