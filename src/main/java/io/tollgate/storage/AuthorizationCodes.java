package io.tollgate.storage;

import io.vertx.core.Future;
import java.util.UUID;

/** Authorization codes (RFC 6749 §4.1), kept by SHA-256 hash only, each redeemable once. */
public interface AuthorizationCodes {
  /** What a code was issued for; {@code codeChallenge} is the S256 challenge, or null. */
  record Code(String clientId, String userId, String redirectUri, String scope, String codeChallenge) {}

  enum Outcome { REDEEMED, EXPIRED, REUSED, NOT_FOUND }

  /** {@code code} is set unless NOT_FOUND; {@code familyId} only for REUSED, and only once the first exchange started one. */
  record Redemption(Outcome outcome, Code code, UUID familyId) {}

  Future<Void> store(byte[] codeHash, Code code, int ttlSeconds);

  /**
   * Marks the code used, atomically: of two concurrent redemptions exactly one is REDEEMED (or
   * EXPIRED); every later one is REUSED and recorded as a replay.
   */
  Future<Redemption> redeem(byte[] codeHash);

  /**
   * Records the token family the redemption started. True when a replay of the code was recorded
   * meanwhile: then the family must be revoked, because the replay could not revoke it yet.
   */
  Future<Boolean> attachFamily(byte[] codeHash, UUID familyId);
}
