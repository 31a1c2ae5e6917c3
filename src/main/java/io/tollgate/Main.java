package io.tollgate;

import io.tollgate.config.BootstrapFile;
import io.tollgate.config.ConfigException;
import io.tollgate.config.ConfigLoader;
import io.tollgate.config.TollgateConfig;
import io.tollgate.http.GuardedTransport;
import io.tollgate.ops.EventLoopWatch;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.transport.Transport;
import java.net.BindException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/** {@code java -jar tollgate.jar [--config FILE]}. */
public final class Main {
  private static final Logger log = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) {
    run(args);
  }

  /** Starts Tollgate and returns its Vert.x at once, while it starts (a test ends one of its event loops). */
  static Vertx run(String[] args) {
    long started = System.nanoTime();
    Path configFile = configFile(args, System.getenv());
    // io_uring where the kernel allows it, else epoll, else NIO; TOLLGATE_TRANSPORT chooses another
    VertxOptions options = new VertxOptions().setPreferNativeTransport(true);
    Transport transport;
    try {
      transport = GuardedTransport.named(System.getenv("TOLLGATE_TRANSPORT"), why -> log.info("network transport: {}", why));
    } catch (IllegalArgumentException e) {
      System.err.println("tollgate: " + e.getMessage());
      System.exit(2);
      return null;
    }
    Vertx vertx = GuardedTransport.vertx(options, transport);
    Future<Tollgate> starting = ConfigLoader.load(vertx, configFile, System.getenv())
        .compose(config -> vertx.executeBlocking(() -> {
          StartChecks.run(config);
          return config;
        }, false))
        .compose(config -> Tollgate.start(vertx, config, configFile, System.getenv()));
    Future<Running> running = starting.map(tollgate ->
        new Running(tollgate, EventLoopWatch.start(vertx, Duration.ofSeconds(1), Main::loopEnded)));
    // a stop asked for while starting waits for the start, then stops cleanly (exit 0, not 143)
    onStopSignal(() -> running.onSuccess(run ->
        new Thread(() -> shutdown(vertx, run), "tollgate-stop").start()));
    running
        .map(Running::tollgate)
        .onSuccess(tollgate -> {
          log.info("network transport: {}", transport.name());
          onReloadSignal(tollgate::reload);
          announce(vertx, tollgate.config(), tollgate.port(), (System.nanoTime() - started) / 1_000_000);
        })
        .onFailure(err -> {
          if (err instanceof ConfigException) {
            System.err.println("tollgate: configuration error in " + configFile + ":");
            System.err.println(err.getMessage());
          } else if (err instanceof StartChecks.Impossible) {
            System.err.println("tollgate: " + err.getMessage());
          } else if (err instanceof BindException) { // taken between the check and the bind
            System.err.println("tollgate: cannot listen: " + err.getMessage());
          } else {
            log.error("tollgate failed to start: {}", err.getMessage(), err);
          }
          vertx.close().onComplete(closed -> System.exit(2));
        });
    return vertx;
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

  private static Future<Void> announce(Vertx vertx, TollgateConfig config, int port, long millis) {
    String scheme = config.http().tls() != null ? "https" : "http";
    String host = config.http().host().equals("0.0.0.0") ? "localhost" : config.http().host();
    String base = scheme + "://" + host + ":" + port;
    System.out.printf("tollgate listening on %s (started in %d ms)%n", base, millis);
    if (!TryItBanner.SHIPPED_BOOTSTRAP.equals(config.bootstrap())) {
      return Future.succeededFuture();
    }
    return BootstrapFile.load(vertx, config.bootstrap())
        .map(file -> TryItBanner.lines(file, base, config.endpoints().authorization().get(0)))
        .onSuccess(lines -> lines.forEach(System.out::println))
        .mapEmpty();
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

  /**
   * SIGHUP re-reads the configuration and bootstrap files and applies what can change while running
   * (README, "Reload"): what it did, or why it changed nothing, goes to the log. The reload itself
   * runs on Vert.x, off the signal thread.
   */
  private static void onReloadSignal(Runnable reload) {
    SignalHandler before = Signal.handle(new Signal("HUP"), signal -> {
      log.info("SIGHUP: reloading");
      reload.run();
    });
    // the JVM leaves a signal that was ignored when it started ignored, and says so only here
    if (before == SignalHandler.SIG_IGN) {
      log.warn("SIGHUP is ignored by this process (started under nohup?): reload with POST /admin/reload");
    }
  }

  private record Running(Tollgate tollgate, EventLoopWatch watch) {}

  /**
   * A process one of whose event loops has ended serves the connections on that loop never again;
   * exiting with status 70 (EX_SOFTWARE) lets its supervisor start it afresh (README, "Operations").
   * The halt is for shutdown hooks that would wait on the dead loop.
   */
  private static void loopEnded(String loop) {
    log.error("{} has ended (the error that ended it is logged above): the connections it holds are not served;"
        + " exiting with status 70 for the supervisor to start Tollgate again", loop);
    Thread halt = new Thread(() -> {
      try {
        Thread.sleep(15_000);
      } catch (InterruptedException ignored) {
        // halting anyway
      }
      Runtime.getRuntime().halt(70);
    }, "tollgate-halt");
    halt.setDaemon(true);
    halt.start();
    System.exit(70);
  }

  private static void shutdown(Vertx vertx, Running run) {
    log.info("stopping: no new connections; in-flight requests may finish");
    run.watch().stop(); // the stop ends every event loop on purpose
    Tollgate tollgate = run.tollgate();
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
