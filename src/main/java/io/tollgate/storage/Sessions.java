package io.tollgate.storage;

import io.tollgate.oauth.User;
import io.vertx.core.Future;

/**
 * Login sessions of the authorization endpoint, in the database so that every instance behind a
 * load balancer knows them; kept by the SHA-256 hash of the cookie value only.
 */
public interface Sessions {
  Future<Void> create(byte[] sessionHash, String userId, int ttlSeconds);

  /** The user of a live session, or null when the session is unknown or expired. */
  Future<User> user(byte[] sessionHash);

  Future<Void> delete(byte[] sessionHash);
}
