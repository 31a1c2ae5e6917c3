package io.tollgate.storage;

import io.vertx.core.Future;
import java.util.UUID;
import java.util.function.UnaryOperator;

/** Refresh tokens, kept by SHA-256 hash only, grouped in families (one per original grant). */
public interface RefreshTokenStore {
  /** What a stored refresh token grants. */
  record Grant(UUID familyId, String clientId, String userId, String scope) {}

  enum Outcome { ROTATED, NOT_FOUND, EXPIRED, REVOKED, REUSED, INVALID_SCOPE }

  record Rotation(Outcome outcome, Grant grant) {}

  /** Starts a new family (a login, a code exchange) and returns its id. */
  Future<UUID> newFamily(String clientId, String userId, int familyTtlSeconds);

  /**
   * Starts a family with its first refresh token, in one round trip (the grant's hot path); the
   * family lives as long as the token. Returns the family's id.
   */
  Future<UUID> newFamilyWithToken(byte[] tokenHash, String clientId, String userId, String scope, int ttlSeconds);

  /** Stores a refresh token of an existing family. */
  Future<Void> store(byte[] tokenHash, Grant grant, int ttlSeconds);

  /**
   * RFC 6749 §6 with rotation, in one transaction: marks the presented token used and stores its
   * successor. A token already used revokes its whole family (RFC 9700 §4.14.2). {@code narrow}
   * maps the stored scope to the new one, or null when the requested scope is not a subset.
   */
  Future<Rotation> rotate(byte[] presentedHash, String clientId, byte[] nextHash, int ttlSeconds,
      UnaryOperator<String> narrow);

  /** The live grant of a refresh token, or null when unknown, used, expired or revoked. */
  Future<Grant> findActive(byte[] tokenHash);

  Future<Void> revokeFamily(UUID familyId);
}
