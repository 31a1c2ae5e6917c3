package io.tollgate.storage;

import io.tollgate.tokens.RevocationList;
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

  /**
   * True when the jti was revoked, or its family (sid, may be null) was, or every token of its
   * client or of its subject issued at or before {@code issuedAtMillis} (epoch ms) was.
   */
  Future<Boolean> isRevoked(String jti, UUID familyId, String clientId, String subject, long issuedAtMillis);

  /** Every revocation whose access tokens may still be live: what a gateway reloads after a (re)connect. */
  Future<List<Revoked>> live();

  /**
   * A revoked access token ({@code jti}) or family ({@code family}), or every token of a user or
   * client issued at or before {@code notBefore} (epoch ms); relevant until {@code until} (epoch s).
   * Payloads: {@code jti:until:id}, {@code family:until:id}, {@code user:until:notBefore:id},
   * {@code client:until:notBefore:id}.
   */
  record Revoked(Kind kind, String id, long until, long notBefore) {
    public enum Kind { JTI, FAMILY, USER, CLIENT }

    /** Puts this revocation into the in-memory list the gateway and the admin API check. */
    public void applyTo(RevocationList list) {
      switch (kind) {
        case JTI -> list.revokeToken(id, until);
        case FAMILY -> list.revokeFamily(id, until);
        case CLIENT -> list.revokeClient(id, notBefore, until);
        case USER -> list.revokeUser(id, notBefore, until);
      }
    }

    String payload() {
      String name = kind.name().toLowerCase(java.util.Locale.ROOT);
      return kind == Kind.JTI || kind == Kind.FAMILY ? name + ":" + until + ":" + id
          : name + ":" + until + ":" + notBefore + ":" + id;
    }

    /** The NOTIFY payload's meaning, or null when it is not one of ours. */
    static Revoked parse(String payload) {
      int colon = payload.indexOf(':');
      Kind kind = colon < 0 ? null : switch (payload.substring(0, colon)) {
        case "jti" -> Kind.JTI;
        case "family" -> Kind.FAMILY;
        case "user" -> Kind.USER;
        case "client" -> Kind.CLIENT;
        default -> null;
      };
      if (kind == null) {
        return null;
      }
      boolean marker = kind == Kind.USER || kind == Kind.CLIENT;
      String[] parts = payload.split(":", marker ? 4 : 3);
      try {
        return parts.length != (marker ? 4 : 3) ? null : marker
            ? new Revoked(kind, parts[3], Long.parseLong(parts[1]), Long.parseLong(parts[2]))
            : new Revoked(kind, parts[2], Long.parseLong(parts[1]), 0);
      } catch (NumberFormatException e) {
        return null;
      }
    }
  }
}
