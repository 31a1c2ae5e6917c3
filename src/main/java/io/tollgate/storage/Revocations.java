package io.tollgate.storage;

import io.vertx.core.Future;
import java.util.List;
import java.util.UUID;

/**
 * Access-token revocations. Every change is also announced with {@code NOTIFY tollgate_revocations}
 * (payload {@code kind:until:id}, see {@link Revoked}) so that gateways drop the token without a
 * database round trip per request.
 */
public interface Revocations {
  String CHANNEL = "tollgate_revocations";

  Future<Void> revokeAccessToken(String jti, long expiresAtEpochSeconds);

  /** True when the jti was revoked or its family (sid, may be null) was. */
  Future<Boolean> isRevoked(String jti, UUID familyId);

  /** Every revocation whose access tokens may still be live: what a gateway reloads after a (re)connect. */
  Future<List<Revoked>> live();

  /** A revoked access token ({@code jti}) or family ({@code family}), relevant until {@code until} (epoch s). */
  record Revoked(Kind kind, String id, long until) {
    public enum Kind { JTI, FAMILY }

    String payload() {
      return kind.name().toLowerCase(java.util.Locale.ROOT) + ":" + until + ":" + id;
    }

    /** The NOTIFY payload's meaning, or null when it is not one of ours. */
    static Revoked parse(String payload) {
      String[] parts = payload.split(":", 3);
      if (parts.length != 3) {
        return null;
      }
      try {
        Kind kind = switch (parts[0]) {
          case "jti" -> Kind.JTI;
          case "family" -> Kind.FAMILY;
          default -> null;
        };
        return kind == null ? null : new Revoked(kind, parts[2], Long.parseLong(parts[1]));
      } catch (NumberFormatException e) {
        return null;
      }
    }
  }
}
