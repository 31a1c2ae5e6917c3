package io.tollgate;

import io.tollgate.admin.Bootstrap;
import io.tollgate.config.TollgateConfig;
import io.tollgate.ops.EchoBackend;
import io.tollgate.ops.Metrics;
import io.tollgate.ops.NativeMemory;
import io.tollgate.storage.Database;
import io.tollgate.storage.EmbeddedPostgres;
import io.tollgate.storage.Purge;
import io.tollgate.storage.RevocationFeed;
import io.tollgate.storage.Storage;
import io.tollgate.tls.CertificateRotation;
import io.tollgate.tokens.RevocationList;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The lifecycle: database → bootstrap → revocation feed → {@link Components} → HTTP servers, and
 * back in reverse on {@link #stop()}. The wiring itself is in {@link Components}.
 */
public final class Tollgate {
  private final Vertx vertx;
  private final EmbeddedPostgres embedded;
  private final Database database;
  private final Running running;
  private final int port;
  private final String deploymentId;
  private final Edge edge;

  /** The TLS listener's certificates (null without TLS) and the plain redirect listener (null without one). */
  private record Edge(CertificateRotation tls, HttpServer redirect) {
    Future<Void> stop() {
      if (tls != null) {
        tls.close();
      }
      return redirect == null ? Future.succeededFuture() : redirect.close();
    }
  }

  /** What runs beside the public HTTP servers and is stopped after them, in reverse order of start. */
  private record Running(Metrics metrics, RevocationFeed feed, Housekeeping housekeeping, Reload live,
      HttpServer management) {

    Running withFeed(RevocationFeed started, Housekeeping timers) {
      return new Running(metrics, started, timers, live, management);
    }

    Running withManagement(HttpServer server) {
      return new Running(metrics, feed, housekeeping, live, server);
    }

    Future<Void> stop(Vertx vertx) {
      if (housekeeping != null) {
        housekeeping.stop(vertx);
      }
      if (live != null) {
        live.close();
      }
      Future<Void> listener = management == null ? Future.succeededFuture() : management.close();
      return listener
          .eventually(() -> feed == null ? Future.succeededFuture() : feed.close())
          .eventually(() -> live == null ? Future.succeededFuture() : live.flushSpans())
          .onComplete(done -> metrics.close());
    }
  }

  /** Tollgate's own periodic work, each timer started here and cancelled by {@link #stop}. */
  private record Housekeeping(long pruning, long purging, long trimming) {
    private static final long PRUNE_MILLIS = 60_000;
    /**
     * Expired rows only cost space, and a pass over a quiet table is a few index probes: every five
     * minutes keeps the tables near their live size without a setting to tune.
     */
    private static final long PURGE_MILLIS = 300_000;
    /** Native memory freed by the JIT and by load peaks goes back to the system within half a minute. */
    private static final long TRIM_MILLIS = 30_000;

    static Housekeeping start(Vertx vertx, RevocationList revoked, Purge purge) {
      return new Housekeeping(
          vertx.setPeriodic(PRUNE_MILLIS, id -> revoked.prune(System.currentTimeMillis() / 1000)),
          vertx.setPeriodic(PURGE_MILLIS, id -> purge.run()),
          vertx.setPeriodic(TRIM_MILLIS, id -> vertx.executeBlocking(NativeMemory::trim, false)));
    }

    void stop(Vertx vertx) {
      vertx.cancelTimer(pruning);
      vertx.cancelTimer(purging);
      vertx.cancelTimer(trimming);
    }
  }

  private Tollgate(Vertx vertx, EmbeddedPostgres embedded, Database database,
      Running running, int port, String deploymentId, Edge edge) {
    this.vertx = vertx;
    this.embedded = embedded;
    this.database = database;
    this.running = running;
    this.port = port;
    this.deploymentId = deploymentId;
    this.edge = edge;
  }

  /** A Tollgate that cannot reload: it has no file to read again. */
  public static Future<Tollgate> start(Vertx vertx, TollgateConfig config) {
    return start(vertx, config, null, null);
  }

  /** {@code config} as read from {@code file} with {@code env} (README, "Reload": both are read again). */
  public static Future<Tollgate> start(Vertx vertx, TollgateConfig config, Path file, Map<String, String> env) {
    Reload.Source source = file == null ? null : new Reload.Source(file, Map.copyOf(env));
    // keys, crypto providers, meters and argon2 need no database: they load while it starts (issue 6)
    Future<Components.Prepared> prepared = Components.Prepared.load(vertx, config);
    Future<EmbeddedPostgres> embedded = config.database().embedded()
        ? vertx.executeBlocking(() -> EmbeddedPostgres.start(config.dataDir(), true), false)
        : Future.succeededFuture(null);
    return embedded.compose(pg -> {
      String url = pg != null ? pg.url() : config.database().url();
      return Database.open(vertx, url, config.database())
          .compose(database -> deploy(vertx, config, source, pg, database, prepared))
          .onFailure(err -> {
            if (pg != null) {
              vertx.executeBlocking(() -> { pg.close(); return null; }, false);
            }
          });
    });
  }

  private static Future<Tollgate> deploy(Vertx vertx, TollgateConfig config, Reload.Source source,
      EmbeddedPostgres pg, Database database, Future<Components.Prepared> loading) {
    Storage storage = Storage.postgres(database.pool(), config.tokens().accessTtl());
    AtomicReference<Running> running = new AtomicReference<>();
    AtomicInteger port = new AtomicInteger();
    return loading
        .compose(prepared -> Bootstrap.run(vertx, config.bootstrap(), config.dataDir(), storage, prepared.hasher())
            .map(applied -> Reload.start(vertx, source, config, database, storage, prepared,
                Components.revocations(prepared.metrics(), database)))
            .compose(live -> {
              running.set(new Running(prepared.metrics(), null, null, live, null));
              return RevocationFeed.start(vertx, database, storage, live.revoked());
            }))
        .map(feed -> {
          Reload live = running.get().live();
          running.set(running.get().withFeed(feed, Housekeeping.start(vertx, live.revoked(),
              Purge.postgres(database.pool(), config.tokens().accessTtl(), config.security().login().lockSeconds()))));
          return live;
        })
        .compose(live -> config.dev().echoPort() < 0 ? Future.succeededFuture(live)
            : EchoBackend.start(vertx, config.dev().echoPort()).map(echo -> live))
        // the management and redirect listeners answer metrics and probes only: the start's routes serve them
        .compose(live -> management(vertx, config, live.routes())
            .map(server -> {
              running.set(running.get().withManagement(server));
              return live;
            }))
        .compose(live -> certificates(vertx, config)
            .compose(tls -> {
              live.certificates(tls);
              return vertx.deployVerticle(() -> new HttpVerticle(config.http(), live::routes, tls, port::set),
                      new DeploymentOptions().setInstances(instances(config)))
                  .onFailure(err -> { if (tls != null) { tls.close(); } })
                  .compose(id -> redirect(vertx, config, live.routes(), port.get())
                      .onFailure(err -> vertx.undeploy(id))
                      .map(redirect -> new Tollgate(vertx, pg, database, running.get(), port.get(), id,
                          new Edge(tls, redirect))));
            }))
        .recover(err -> (running.get() == null ? Future.<Void>succeededFuture() : running.get().stop(vertx))
            .eventually(database::close)
            .transform(closed -> Future.failedFuture(err)));
  }

  private static Future<CertificateRotation> certificates(Vertx vertx, TollgateConfig config) {
    return config.http().tls() == null ? Future.succeededFuture(null)
        : CertificateRotation.start(vertx, config.http().tls());
  }

  /** {@code http.redirectPort}: plain HTTP answering 308 to https, and the probes. */
  private static Future<HttpServer> redirect(Vertx vertx, TollgateConfig config, Routes routes, int httpsPort) {
    if (config.http().redirectPort() < 0) {
      return Future.succeededFuture(null);
    }
    return vertx.createHttpServer().requestHandler(routes.redirect(vertx, httpsPort))
        .listen(config.http().redirectPort(), config.http().host());
  }

  private static int instances(TollgateConfig config) {
    return config.http().instances() > 0 ? config.http().instances() : Runtime.getRuntime().availableProcessors();
  }

  /** The management listener, when configured: one server, on one event loop, for the scraper. */
  private static Future<HttpServer> management(Vertx vertx, TollgateConfig config, Routes routes) {
    if (config.management() == null) {
      return Future.succeededFuture(null);
    }
    return vertx.createHttpServer().requestHandler(routes.management(vertx))
        .listen(config.management().port(), config.management().host());
  }

  public int port() {
    return port;
  }

  /** The management listener's port, or -1 when there is none. */
  public int managementPort() {
    return running.management() == null ? -1 : running.management().actualPort();
  }

  /** The redirect listener's port, or -1 when there is none. */
  public int redirectPort() {
    return edge.redirect() == null ? -1 : edge.redirect().actualPort();
  }

  /**
   * Re-reads the configuration file and the bootstrap file and applies what can change while
   * running ({@code SIGHUP}, {@code POST /admin/reload}); never fails: a refused reload says why.
   */
  public Future<Reload.Outcome> reload() {
    return running.live().run();
  }

  /** The configuration in service: the start's, with what reloads changed. */
  public TollgateConfig config() {
    return running.live().config();
  }

  /** Stops accepting, lets the servers shut down, stops every timer, closes the pool and the embedded database. */
  public Future<Void> stop() {
    return vertx.undeploy(deploymentId)
        .eventually(edge::stop)
        .eventually(() -> running.stop(vertx))
        .eventually(database::close)
        .eventually(() -> embedded == null
            ? Future.succeededFuture()
            : vertx.executeBlocking(() -> { embedded.close(); return null; }, false))
        .mapEmpty();
  }
}
