package io.tollgate;

import io.tollgate.config.ConfigException;
import io.tollgate.config.ConfigLoader;
import io.tollgate.config.TollgateConfig;
import io.tollgate.http.GuardedTransport;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.transport.Transport;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/** {@code java -jar tollgate.jar [--config FILE]}. */
public final class Main {
  private static final Logger log = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) {
    long started = System.nanoTime();
    Path configFile = configFile(args, System.getenv());
    // epoll where the native transport loads (Linux x86-64), NIO otherwise
    VertxOptions options = new VertxOptions().setPreferNativeTransport(true);
    Transport transport = GuardedTransport.of(options);
    Vertx vertx = GuardedTransport.vertx(options, transport);
    Future<Tollgate> starting = ConfigLoader.load(vertx, configFile, System.getenv())
        .compose(config -> Tollgate.start(vertx, config));
    // a stop asked for while starting waits for the start, then stops cleanly (exit 0, not 143)
    onStopSignal(() -> starting.onSuccess(tollgate ->
        new Thread(() -> shutdown(vertx, tollgate), "tollgate-stop").start()));
    starting
        .onSuccess(tollgate -> {
          log.info("network transport: {}", transport.name());
          announce(tollgate.config(), tollgate.port(), (System.nanoTime() - started) / 1_000_000);
        })
        .onFailure(err -> {
          if (err instanceof ConfigException) {
            System.err.println("tollgate: configuration error in " + configFile + ":");
            System.err.println(err.getMessage());
          } else {
            log.error("tollgate failed to start: {}", err.getMessage(), err);
          }
          vertx.close().onComplete(closed -> System.exit(2));
        });
  }

  private static Path configFile(String[] args, Map<String, String> env) {
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals("--config")) {
        return Path.of(args[i + 1]);
      }
    }
    String fromEnv = env.get("TOLLGATE_CONFIG");
    return fromEnv != null && !fromEnv.isBlank() ? Path.of(fromEnv) : ConfigLoader.DEFAULT_FILE;
  }

  private static void announce(TollgateConfig config, int port, long millis) {
    String scheme = config.http().tls() != null ? "https" : "http";
    String host = config.http().host().equals("0.0.0.0") ? "localhost" : config.http().host();
    System.out.printf("tollgate listening on %s://%s:%d (started in %d ms)%n", scheme, host, port, millis);
    if (Path.of("conf/bootstrap.yaml").equals(config.bootstrap())) {
      // the shipped demo identities (README, "Try it with curl"): nothing secret about them
      System.out.printf("try it: curl -u s6BhdRkqt3:gX1fBat3bV -d grant_type=client_credentials %s://%s:%d/token%n",
          scheme, host, port);
      System.out.println("        demo user demo@profix-it.nl / demo-password with client "
          + "b81cc4de-d192-400e-bcb4-09254394c52a / n3G7KAhcv8OH (password grant)");
      System.out.printf("        browser login (authorization code, the code shown as a PIN): "
          + "%s://%s:%d%s?client_id=34ad67fa2f%%40hq.local.affinitylive.com"
          + "&redirect_uri=urn%%3Aietf%%3Awg%%3Aoauth%%3A2.0%%3Aoob&scope=profile%n",
          scheme, host, port, config.endpoints().authorization().get(0));
    }
  }

  /**
   * SIGTERM and SIGINT stop Tollgate gracefully and exit 0 (a JVM shutdown hook would exit 143), the
   * way orchestrators expect of a clean stop.
   */
  private static void onStopSignal(Runnable stop) {
    AtomicBoolean stopping = new AtomicBoolean();
    for (String name : new String[] {"TERM", "INT"}) {
      Signal.handle(new Signal(name), signal -> {
        if (stopping.compareAndSet(false, true)) {
          stop.run();
        }
      });
    }
  }

  private static void shutdown(Vertx vertx, Tollgate tollgate) {
    log.info("stopping: no new connections; in-flight requests may finish");
    int status = 0;
    try {
      tollgate.stop().await(tollgate.config().http().shutdownGraceSeconds() + 10L, TimeUnit.SECONDS);
      vertx.close().await(10, TimeUnit.SECONDS);
      log.info("stopped");
    } catch (Exception e) {
      log.warn("shutdown did not finish cleanly: {}", e.toString());
      status = 1;
    }
    System.exit(status);
  }
}
