package io.tollgate.storage;

import io.tollgate.storage.Revocations.Revoked;
import io.tollgate.tokens.RevocationList;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds every revocation to this instance: {@code LISTEN tollgate_revocations}, and a full reload of
 * what is still live each time the listening connection is (re)established, because notifications
 * sent while it was down are lost. While the database is away the last list stays in force.
 * The same connection feeds the client cache: {@code LISTEN tollgate_clients} drops the announced
 * client, and every (re)connect drops them all (README "Admin API", "Operations").
 */
public final class RevocationFeed {
  private static final Logger log = LoggerFactory.getLogger(RevocationFeed.class);
  private static final long RECONNECT_MILLIS = 500;
  private static final long RELOAD_MILLIS = 60_000;

  private final Vertx vertx;
  private final Revocations revocations;
  private final RevocationList list;
  private final CachedClientStore clients;
  private final WebOrigins webOrigins;
  private final PgSubscriber subscriber;
  private final Promise<Void> firstLoad = Promise.promise();
  private long periodicReload = -1;

  private RevocationFeed(Vertx vertx, PgConnectOptions options, Revocations revocations, RevocationList list,
      CachedClientStore clients, WebOrigins webOrigins) {
    this.vertx = vertx;
    this.webOrigins = webOrigins;
    this.revocations = revocations;
    this.list = list;
    this.clients = clients;
    this.subscriber = PgSubscriber.subscriber(vertx, new PgConnectOptions(options).setPipeliningLimit(1))
        .reconnectPolicy(attempt -> RECONNECT_MILLIS);
  }

  /** Starts listening; completes once the first full load is in {@code list}. */
  public static Future<RevocationFeed> start(Vertx vertx, Database database, Storage storage, RevocationList list) {
    // Storage.postgres always caches; a storage built otherwise has no cache to feed
    CachedClientStore clients = storage.clients() instanceof CachedClientStore cache ? cache : null;
    RevocationFeed feed = new RevocationFeed(vertx, database.connectOptions(), storage.revocations(), list, clients,
        storage.webOrigins());
    return feed.listen().map(feed);
  }

  private Future<Void> listen() {
    if (clients != null) {
      // registered first: on a reconnect the clients are dropped before the revocations reload
      subscriber.channel(ClientStore.CHANNEL)
          .handler(clients::changed)
          .subscribeHandler(v -> {
            log.info("listening for client changes; dropping the cached clients");
            clients.dropAll();
          });
    }
    subscriber.channel(Revocations.CHANNEL)
        .handler(this::notified)
        .subscribeHandler(v -> {
          log.info("listening for revocations; reloading the live list");
          reload().onComplete(loaded -> firstLoad.tryComplete());
        });
    // a silently dead connection would not be noticed; a periodic reload bounds what it could hide
    periodicReload = vertx.setPeriodic(RELOAD_MILLIS, id -> reload());
    // the registered web origins are in memory before the first preflight can arrive (README, "Browsers (CORS)")
    return subscriber.connect().compose(connected -> firstLoad.future())
        .compose(loaded -> webOrigins.reload().recover(err -> Future.succeededFuture()));
  }

  private void notified(String payload) {
    Revoked revoked = Revoked.parse(payload);
    if (revoked == null) {
      log.warn("ignored a revocation notification of unknown form");
      return;
    }
    revoked.applyTo(list);
  }

  private Future<Void> reload() {
    return revocations.live()
        .onSuccess(live -> live.forEach(revoked -> revoked.applyTo(list)))
        .onFailure(err -> log.warn("revocation reload failed, keeping the last list: {}", err.getMessage()))
        .mapEmpty();
  }

  public Future<Void> close() {
    vertx.cancelTimer(periodicReload);
    return subscriber.close();
  }
}
