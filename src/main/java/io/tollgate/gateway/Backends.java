package io.tollgate.gateway;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.net.URI;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A route's backends, shared by every event loop: round robin over those that accept connections.
 * One that refused a connection is skipped, and probed every second until it accepts one again.
 */
final class Backends implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Backends.class);
  private static final long PROBE_MILLIS = 1_000;

  /** One backend origin. */
  static final class Backend {
    final String label;
    final String host;
    final int port;
    final boolean ssl;
    private final AtomicBoolean down = new AtomicBoolean();
    /** The pending probe's timer while the backend is down, else -1. */
    private final AtomicLong probing = new AtomicLong(-1);

    Backend(URI uri) {
      this.label = uri.toString();
      this.host = uri.getHost();
      this.ssl = "https".equalsIgnoreCase(uri.getScheme());
      this.port = uri.getPort() > 0 ? uri.getPort() : ssl ? 443 : 80;
    }

    boolean down() {
      return down.get();
    }
  }

  private final Vertx vertx;
  private final NetClient prober;
  private final List<Backend> all;
  private final AtomicInteger next = new AtomicInteger();
  private final AtomicBoolean closed = new AtomicBoolean();

  Backends(Vertx vertx, NetClient prober, List<URI> uris) {
    this.vertx = vertx;
    this.prober = prober;
    this.all = uris.stream().map(Backend::new).toList();
  }

  static NetClient prober(Vertx vertx) {
    return vertx.createNetClient(new NetClientOptions().setConnectTimeout((int) PROBE_MILLIS));
  }

  int size() {
    return all.size();
  }

  /** The next backend in turn that is not known to be down; when all are down, the next in turn. */
  Backend pick() {
    int n = all.size();
    int start = Math.floorMod(next.getAndIncrement(), n);
    for (int i = 0; i < n; i++) {
      Backend candidate = all.get((start + i) % n);
      if (!candidate.down()) {
        return candidate;
      }
    }
    return all.get(start);
  }

  /** The backend did not accept a connection: skip it until a probe gets through. */
  void refused(Backend backend) {
    if (backend.down.compareAndSet(false, true)) {
      log.warn("backend {} refuses connections; skipped until it accepts one", backend.label);
      probeLater(backend);
    }
  }

  private void probeLater(Backend backend) {
    if (!closed.get()) {
      backend.probing.set(vertx.setTimer(PROBE_MILLIS, id -> probe(backend)));
    }
  }

  private void probe(Backend backend) {
    if (closed.get()) {
      return; // a timer that fired while close ran: no more probes
    }
    prober.connect(backend.port, backend.host)
        .onSuccess(socket -> {
          socket.close();
          backend.probing.set(-1);
          backend.down.set(false);
          log.info("backend {} accepts connections again", backend.label);
        })
        .onFailure(err -> probeLater(backend));
  }

  /** Stops probing: the pending probe timers are cancelled and no new one is set. */
  @Override
  public void close() {
    closed.set(true);
    for (Backend backend : all) {
      long timer = backend.probing.getAndSet(-1);
      if (timer >= 0) {
        vertx.cancelTimer(timer);
      }
    }
  }

  /** The pending probe timers, for the test that close cancels them. */
  List<Long> probeTimers() {
    return all.stream().map(backend -> backend.probing.get()).filter(timer -> timer >= 0).toList();
  }
}
