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
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A rotation (a changed file, or a reload) makes every check of the start again (README, "TLS at the
 * edge"): a new certificate for a host entry that does not cover the entry's names is refused with
 * one line naming the key, and the previous certificate keeps serving that name.
 */
class RotationChecksTest {
  static final ListAppender<ILoggingEvent> log = new ListAppender<>();
  static final List<Logger> loggers = List.of((Logger) LoggerFactory.getLogger(CertificateRotation.class),
      (Logger) LoggerFactory.getLogger("io.tollgate.Reload"));
  static TestCertificates ca;
  static Pair nl;
  static Path live;
  static TestTollgate tollgate;

  @BeforeAll
  static void start() throws Exception {
    ca = TestCertificates.create("Recheck CA");
    Pair fallback = ca.ec("default", "localhost");
    nl = ca.ec("nl", "api.profix-it.nl");
    live = Files.createTempDirectory("tollgate-recheck");
    replace(nl, live);
    JsonObject config = TestTollgate.config("tls_recheck");
    config.getJsonObject("http").put("tls", new JsonObject()
        .put("cert", fallback.cert().toString()).put("key", fallback.key().toString())
        .put("hosts", new JsonArray().add(new JsonObject().put("names", new JsonArray().add("api.profix-it.nl"))
            .put("cert", live.resolve("host.crt").toString()).put("key", live.resolve("host.key").toString()))));
    log.start();
    loggers.forEach(logger -> logger.addAppender(log));
    tollgate = TestTollgate.startFromFile(config, Files.createTempDirectory("tollgate-recheck-conf").resolve("t.yaml"));
  }

  @AfterAll
  static void stop() {
    loggers.forEach(logger -> logger.detachAppender(log));
    tollgate.close();
  }

  private static void replace(Pair pair, Path dir) throws Exception {
    for (String[] file : new String[][] {{pair.key().toString(), "host.key"}, {pair.cert().toString(), "host.crt"}}) {
      Path staged = Files.copy(Path.of(file[0]), dir.resolve(file[1] + ".new"), StandardCopyOption.REPLACE_EXISTING);
      Files.move(staged, dir.resolve(file[1]), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
  }

  private static List<String> lines(int from, String containing) {
    List<String> found = new ArrayList<>();
    List<ILoggingEvent> all = snapshot();
    for (ILoggingEvent event : all.subList(from, all.size())) {
      if (event.getFormattedMessage().contains(containing)) {
        found.add(event.getFormattedMessage());
      }
    }
    return found;
  }

  /** Tollgate's threads append while the test reads: copied until a copy is not disturbed. */
  private static List<ILoggingEvent> snapshot() {
    while (true) {
      try {
        return new ArrayList<>(log.list);
      } catch (java.util.ConcurrentModificationException busy) {
        Thread.onSpinWait();
      }
    }
  }

  @Test
  void aRotatedCertificateThatNoLongerCoversItsNamesIsRefusedAndTheOldOneServes() throws Exception {
    X509Certificate before = TestCertificates.certificate(nl.cert());
    assertEquals(before, TlsClients.served(tollgate.port(), "api.profix-it.nl"));
    int mark = snapshot().size();
    Pair other = ca.ec("other", "other.example");
    replace(other, live);
    Thread.sleep(3_500); // three polls and more
    String problem = "http.tls.hosts[0].names: the certificate " + live.resolve("host.crt")
        + " does not cover \"api.profix-it.nl\" (its DNS names: other.example)";
    List<String> refused = lines(mark, "not reloaded");
    assertEquals(List.of("TLS certificates not reloaded, the previous ones keep serving: " + problem), refused,
        "one line for one refused set");
    assertEquals(before, TlsClients.served(tollgate.port(), "api.profix-it.nl"));

    // a reload (SIGHUP, POST /admin/reload) makes the same check and changes nothing
    int reloadMark = snapshot().size();
    tollgate.reload();
    assertEquals(List.of("reload refused, nothing changed: " + problem), lines(reloadMark, "reload refused"));
    assertEquals(before, TlsClients.served(tollgate.port(), "api.profix-it.nl"));

    // a later good file is taken
    Pair renewed = ca.ec("renewed", "api.profix-it.nl");
    replace(renewed, live);
    X509Certificate wanted = TestCertificates.certificate(renewed.cert());
    X509Certificate served = null;
    for (int i = 0; i < 100 && !wanted.equals(served); i++) {
      Thread.sleep(100);
      served = TlsClients.served(tollgate.port(), "api.profix-it.nl");
    }
    assertEquals(wanted, served);
    assertTrue(lines(mark, "TLS certificates reloaded").size() >= 1, log.list.toString());
  }
}
