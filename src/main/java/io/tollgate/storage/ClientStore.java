package io.tollgate.storage;

import io.tollgate.oauth.Client;
import io.vertx.core.Future;

public interface ClientStore {
  /** The client, or null when there is none with this id. */
  Future<Client> find(String id);

  /** Creates or replaces the client; a null {@code secretHash} keeps the stored one. */
  Future<Void> upsert(Client client);
}
