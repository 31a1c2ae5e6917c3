package io.tollgate;

import io.tollgate.admin.Bootstrap;
import io.tollgate.config.BootstrapFile;
import io.tollgate.config.ConfigException;
import io.tollgate.config.ConfigLoader;
import io.tollgate.config.TollgateConfig;
import io.tollgate.oauth.OAuthResponses;
import io.tollgate.storage.Database;
import io.tollgate.storage.Storage;
import io.tollgate.tls.CertificateRotation;
import io.tollgate.tls.TlsException;
import io.tollgate.tokens.RevocationList;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live changes (README, "Reload"; {@code SIGHUP} and {@code POST /admin/reload}): the configuration
 * file and the bootstrap file are read again the way the start read them, everything is checked
 * before anything changes (the configuration, the signing keys, the bootstrap file, the
 * certificates), then the bootstrap file is applied and a whole new set of {@link Components} is
 * built from the new configuration and swapped in with one volatile write: every event loop picks
 * it up at its next request ({@link LiveHandler}), requests in flight finish on the set they began
 * with. Keys only a restart can change ({@link ReloadKeys}) are reported and keep their running
 * values. Reloads run one after the other.
 */
final class Reload implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Reload.class);

  /** Where the configuration came from: the same file and environment are read again. */
  record Source(Path file, Map<String, String> env) {}

  /** What a reload did: every problem (then nothing changed), or what it applied and what needs a restart. */
  record Outcome(List<String> applied, List<String> restartRequired, List<String> problems) {
    static Outcome refused(List<String> problems) {
      return new Outcome(List.of(), List.of(), problems);
    }

    boolean refused() {
      return !problems.isEmpty();
    }

    JsonObject json() {
      return refused()
          ? new JsonObject().put("error", "conflict")
              .put("error_description", "the configuration has problems; nothing changed")
              .put("problems", new JsonArray(problems))
          : new JsonObject().put("applied", new JsonArray(applied))
              .put("restartRequired", new JsonArray(restartRequired));
    }
  }

  /** What was read and checked, ready to apply. */
  private record Staged(TollgateConfig config, List<String> restartRequired, Components.Crypto crypto,
      CertificateRotation.Staged certificates) {}

  private final Vertx vertx;
  private final Source source;
  private final Database database;
  private final Storage storage;
  private final Components.Prepared prepared;
  private final RevocationList revoked;
  private volatile TollgateConfig config;
  /** The live set: read once per request by every event loop, replaced whole by a reload. */
  private volatile Components current;
  private volatile CertificateRotation tls;
  private Future<Outcome> last = Future.succeededFuture();

  private Reload(Vertx vertx, Source source, TollgateConfig config, Database database, Storage storage,
      Components.Prepared prepared, RevocationList revoked) {
    this.vertx = vertx;
    this.source = source;
    this.config = config;
    this.database = database;
    this.storage = storage;
    this.prepared = prepared;
    this.revoked = revoked;
  }

  /** The components of the start's configuration, live until the first reload; {@code source} null: none. */
  static Reload start(Vertx vertx, Source source, TollgateConfig config, Database database, Storage storage,
      Components.Prepared prepared, RevocationList revoked) {
    Reload reload = new Reload(vertx, source, config, database, storage, prepared, revoked);
    reload.current = Components.build(vertx, config, database, storage, prepared, revoked, reload::run);
    return reload;
  }

  /** The TLS listener's certificates, re-read by every reload (none without TLS). */
  void certificates(CertificateRotation rotation) {
    this.tls = rotation;
  }

  /** The live routes: one volatile read. */
  Routes routes() {
    return current.routes;
  }

  RevocationList revoked() {
    return revoked;
  }

  /** The configuration in service: the start's, with what reloads changed. */
  TollgateConfig config() {
    return config;
  }

  /** Runs a reload after any still running; never fails: a refused one says why in its outcome. */
  synchronized Future<Outcome> run() {
    last = last.transform(previous -> attempt());
    return last;
  }

  private Future<Outcome> attempt() {
    TollgateConfig running = config;
    return read()
        .compose(next -> stage(running, next))
        .compose(staged -> apply(running, staged))
        .recover(err -> Future.succeededFuture(Outcome.refused(problems(err))))
        .onSuccess(Reload::report);
  }

  private Future<TollgateConfig> read() {
    if (source == null) {
      return Future.failedFuture(new ConfigException(List.of(
          "config: this Tollgate was started without a configuration file; there is nothing to read again")));
    }
    return ConfigLoader.load(vertx, source.file(), source.env());
  }

  /** Everything that can be refused is read and checked here, together; nothing changes yet. */
  private Future<Staged> stage(TollgateConfig running, TollgateConfig next) {
    TollgateConfig effective = ReloadKeys.effective(running, next);
    List<String> restartRequired = ReloadKeys.restartOnlyChanged(running, next);
    Future<Components.Crypto> crypto = vertx.executeBlocking(() -> Components.Crypto.load(effective), false)
        .recover(err -> Future.failedFuture(new ConfigException(List.of("tokens.signing: " + err.getMessage()))));
    Future<BootstrapFile> bootstrap = BootstrapFile.load(vertx, effective.bootstrap())
        .recover(err -> Future.failedFuture(err instanceof ConfigException ? err : new ConfigException(
            List.of("bootstrap: " + effective.bootstrap() + " cannot be read: " + err.getMessage()))));
    CertificateRotation rotation = tls;
    Future<CertificateRotation.Staged> certificates = rotation == null ? Future.succeededFuture(null)
        : rotation.stage().recover(err -> Future.failedFuture(new ConfigException(List.of(
            // a TlsException names its key, e.g. http.tls.hosts[1].names
            err instanceof TlsException ? err.getMessage() : "http.tls: the certificates do not load: " + err))));
    return Future.join(crypto, bootstrap, certificates)
        .transform(all -> {
          List<String> problems = new ArrayList<>();
          for (Future<?> part : List.of(crypto, bootstrap, certificates)) {
            if (part.failed()) {
              problems.addAll(problems(part.cause()));
            }
          }
          return problems.isEmpty()
              ? Future.succeededFuture(new Staged(effective, restartRequired, crypto.result(), certificates.result()))
              : Future.failedFuture(new ConfigException(problems));
        });
  }

  /** The bootstrap file first (as at start), then the new components in one write, then the certificates. */
  private Future<Outcome> apply(TollgateConfig running, Staged staged) {
    TollgateConfig next = staged.config();
    return Bootstrap.run(vertx, next.bootstrap(), next.dataDir(), storage, prepared.hasher())
        .recover(err -> Future.failedFuture(new ConfigException(
            List.of("bootstrap: " + next.bootstrap() + " could not be applied (rows already written stay): "
                + err.getMessage()))))
        .compose(applied -> {
          Components built;
          try {
            built = Components.build(vertx, next, database, storage, prepared.with(staged.crypto()), revoked,
                this::run);
          } catch (RuntimeException e) {
            return Future.failedFuture(new ConfigException(List.of("config: cannot be applied: " + e.getMessage())));
          }
          Components old = current;
          current = built;
          config = next;
          retireLater(old, running);
          // the new set is in service now: a certificate that fails to install is said, not a refusal
          return staged.certificates() == null ? Future.succeededFuture(false)
              : tls.install(staged.certificates()).recover(err -> {
                log.warn("reload: TLS certificates not installed, the previous ones keep serving: {}",
                    err.getMessage());
                return Future.succeededFuture(false);
              });
        })
        .map(certificates -> {
          List<String> applied = new ArrayList<>(ReloadKeys.liveChanged(running, next));
          if (!applied.contains("bootstrap")) {
            applied.add("bootstrap"); // applied again every time, as at start
          }
          if (certificates) {
            applied.add("http.tls certificates");
          }
          return new Outcome(applied, staged.restartRequired(), List.of());
        });
  }

  /**
   * The replaced set stops its shared timers (probes, rate-limit sweep) once its requests may have
   * ended; each event loop closes its own part of it sooner, when its requests on it have ended.
   */
  private void retireLater(Components old, TollgateConfig was) {
    long delay = old.longestTimeoutMillis() + was.http().shutdownGraceSeconds() * 1000L + 1;
    vertx.setTimer(delay, id -> old.retire());
  }

  private static List<String> problems(Throwable err) {
    if (err instanceof ConfigException config) {
      return config.problems();
    }
    return List.of(err.getMessage() == null ? err.toString() : err.getMessage());
  }

  /** One line per problem; the keys that need a restart in one line; what was applied in one line. */
  private static void report(Outcome outcome) {
    if (outcome.refused()) {
      outcome.problems().forEach(problem -> log.warn("reload refused, nothing changed: {}", problem));
      return;
    }
    if (!outcome.restartRequired().isEmpty()) {
      log.warn("reload: these keys need a restart and keep their running values: {}",
          String.join(", ", outcome.restartRequired()));
    }
    log.info("reload applied: {}", String.join(", ", outcome.applied()));
  }

  /** {@code POST /admin/reload}: 200 with what was applied and what needs a restart, or 409 with every problem. */
  static void answer(RoutingContext ctx, Outcome outcome) {
    OAuthResponses.json(ctx, outcome.refused() ? 409 : 200, outcome.json());
  }

  /** Exports the spans still queued (at stop, after the servers): the exporter outlives reloads. */
  Future<Void> flushSpans() {
    return current.flushSpans(vertx);
  }

  /** Stops the components in service (at stop). */
  @Override
  public void close() {
    current.close();
  }
}
