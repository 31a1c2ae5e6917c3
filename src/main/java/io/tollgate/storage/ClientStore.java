package io.tollgate.storage;

import io.tollgate.oauth.Client;
import io.vertx.core.Future;

/**
 * Registered clients. Every write is announced with {@code NOTIFY tollgate_clients} (payload: the
 * client id) in its own transaction, so that every instance drops its copy of the client.
 */
public interface ClientStore {
  String CHANNEL = "tollgate_clients";

  /** The client, or null when there is none with this id. */
  Future<Client> find(String id);

  /** Creates or replaces the client; a null {@code secretHash} keeps the stored one. */
  Future<Void> upsert(Client client);

  /** Every origin any client registered in its {@code webOrigins} (README, "Browsers (CORS)"). */
  Future<java.util.Set<String>> webOrigins();

  /** The clients in id order, {@code limit} at most, after {@code after} (null: from the start). */
  Future<Page<Client>> list(String after, int limit);

  /** Creates the client; {@link Change#CONFLICT} when the id is taken. */
  Future<Change> create(Client client);

  /** Replaces everything but the secret; narrowed scopes or another grant revoke the client's tokens too. */
  Future<Change> update(Client client);

  /** Replaces the secret hash of an existing confidential client. */
  Future<Change> replaceSecret(String id, String secretHash);

  /** Revokes every token family of the client (announced to every instance), then deletes it, in one transaction. */
  Future<Change> delete(String id);

  /** Revokes every token family of an existing client, announced to every instance. */
  Future<Change> revokeTokens(String id);
}
