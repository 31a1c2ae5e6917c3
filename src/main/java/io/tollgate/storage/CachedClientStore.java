package io.tollgate.storage;

import io.tollgate.oauth.Client;
import io.vertx.core.Future;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Clients in memory, so that a {@code client_credentials} grant without refresh tokens reads no
 * database (issue 15; README "Admin API"). Every write of the clients table announces the id
 * with {@code NOTIFY tollgate_clients} in its own transaction ({@link PgClientStore}); the feed
 * drops that id here, and drops everything each time its listening connection is (re)established,
 * because notifications sent while it was down are lost.
 *
 * <p>No TTL: a committed change always reaches a listening instance (NOTIFY is delivered after
 * commit), and one that was not listening drops everything on reconnect. A TTL would only add a
 * staleness window, or, during an outage, refuse clients this instance knows, which stay in force
 * as the revocation list does (fail-static). Memory: only clients actually found are kept, never an
 * unknown id (anyone could make up ids), so at most the clients table, which only the admin API and
 * the bootstrap write. Values are immutable records in a concurrent map: read on every event loop.
 */
final class CachedClientStore implements ClientStore {
  private final ClientStore store;
  private final Map<String, Client> cached = new ConcurrentHashMap<>();
  /** Counts invalidations, so that a read that raced one is not kept (it may be the old row). */
  private final AtomicLong changes = new AtomicLong();

  private final WebOrigins origins;

  CachedClientStore(ClientStore store, WebOrigins origins) {
    this.store = store;
    this.origins = origins;
  }

  @Override
  public Future<Client> find(String id) {
    Client known = cached.get(id);
    if (known != null) {
      return Future.succeededFuture(known);
    }
    long seen = changes.get();
    return store.find(id).map(found -> {
      if (found != null) {
        cached.put(id, found);
        // a change announced since the read began: what we read may predate it
        if (changes.get() != seen) {
          cached.remove(id, found);
        }
      }
      return found;
    });
  }

  /**
   * The client changed (announced by the feed): the next find reads it again, and the set of web
   * origins is read again. Only announcements reload that set, not this instance's own writes, whose
   * announcement follows within milliseconds: the bootstrap writes its clients one after the other on
   * one connection at start (issue 6), and a reload after each would open a second one.
   */
  void changed(String id) {
    forget(id);
    origins.reload();
  }

  /** Written here: the next find reads it again. */
  private void forget(String id) {
    changes.incrementAndGet();
    cached.remove(id);
  }

  /** Notifications may have been missed: every client is read again when next asked for. */
  Future<Void> dropAll() {
    changes.incrementAndGet();
    cached.clear();
    return origins.reload();
  }

  // Writes also drop the client here at once, not only when their own notification comes back.
  // The web origins follow with that notification (changed).

  @Override
  public Future<Void> upsert(Client client) {
    return store.upsert(client).andThen(done -> forget(client.id()));
  }

  @Override
  public Future<java.util.Set<String>> webOrigins() {
    return store.webOrigins();
  }

  @Override
  public Future<Page<Client>> list(String after, int limit) {
    return store.list(after, limit);
  }

  @Override
  public Future<Change> create(Client client) {
    return store.create(client).andThen(done -> forget(client.id()));
  }

  @Override
  public Future<Change> update(Client client) {
    return store.update(client).andThen(done -> forget(client.id()));
  }

  @Override
  public Future<Change> replaceSecret(String id, String secretHash) {
    return store.replaceSecret(id, secretHash).andThen(done -> forget(id));
  }

  @Override
  public Future<Change> delete(String id) {
    return store.delete(id).andThen(done -> forget(id));
  }

  @Override
  public Future<Change> revokeTokens(String id) {
    // sets only the not-before mark, which is not part of Client and is checked by the revocation list
    return store.revokeTokens(id);
  }
}
