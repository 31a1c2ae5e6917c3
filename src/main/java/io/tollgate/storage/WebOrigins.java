package io.tollgate.storage;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every origin that any client registered in its {@code webOrigins}, in memory, so that the token
 * service answers a CORS preflight without a database round trip (README, "Browsers (CORS)"): a preflight
 * carries no client id, so "is this origin registered by some client?" is all it can ask. Reloaded
 * in full whenever a client changes (the {@code tollgate_clients} feed, or a write on this instance)
 * and whenever the feed's connection comes back; reloads asked for while one runs are folded into
 * one more. While the database is away the last set stays in force, as the client cache does.
 */
public final class WebOrigins {
  private static final Logger log = LoggerFactory.getLogger(WebOrigins.class);

  private final ClientStore store;
  private volatile Set<String> origins = Set.of();
  private boolean loading;
  private Promise<Void> again;

  WebOrigins(ClientStore store) {
    this.store = store;
  }

  /** Whether some client registered {@code origin}; reads memory only, on any thread. */
  public boolean registered(String origin) {
    return origin != null && origins.contains(origin);
  }

  /** Reads the set again; completes once a read begun after this call is in force. */
  Future<Void> reload() {
    Promise<Void> done;
    synchronized (this) {
      if (loading) {
        if (again == null) {
          again = Promise.promise();
        }
        return again.future();
      }
      loading = true;
      done = Promise.promise();
    }
    load(done);
    return done.future();
  }

  private void load(Promise<Void> done) {
    store.webOrigins().onComplete(read -> {
      if (read.succeeded()) {
        origins = read.result();
      } else {
        log.warn("web origins not reloaded, keeping the last {}: {}", origins.size(), read.cause().toString());
      }
      Promise<Void> next;
      synchronized (this) {
        next = again;
        again = null;
        loading = next != null;
      }
      done.handle(read.mapEmpty());
      if (next != null) {
        load(next);
      }
    });
  }
}
