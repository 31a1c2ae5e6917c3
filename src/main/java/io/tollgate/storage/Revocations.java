package io.tollgate.storage;

import io.vertx.core.Future;
import java.util.UUID;

/**
 * Access-token revocations. Every change is also announced with {@code NOTIFY tollgate_revocations}
 * so that gateways can drop the token without a database round trip per request.
 */
public interface Revocations {
  String CHANNEL = "tollgate_revocations";

  Future<Void> revokeAccessToken(String jti, long expiresAtEpochSeconds);

  /** True when the jti was revoked or its family (sid, may be null) was. */
  Future<Boolean> isRevoked(String jti, UUID familyId);
}
