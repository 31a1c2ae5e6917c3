package io.tollgate.tokens;

import io.jsonwebtoken.Claims;
import io.jsonwebtoken.ExpiredJwtException;
import io.jsonwebtoken.IncorrectClaimException;
import io.jsonwebtoken.JwtException;
import io.jsonwebtoken.JwtParser;
import io.jsonwebtoken.MissingClaimException;
import io.jsonwebtoken.security.SignatureException;
import io.tollgate.tokens.InvalidTokenException.Reason;
import java.util.List;
import java.util.Set;

/**
 * jjwt's parser, built once at start, and the typed reading of the claims it returns. Every way a
 * token can be wrong ends as an {@link InvalidTokenException}: a correctly signed token whose
 * claims have the wrong JSON type is as invalid as a forged one (RFC 7519 §7.2 step 10: a JWT whose
 * claims cannot be processed is rejected), not an exception that escapes the caller's handling.
 */
final class JjwtVerifier implements AccessTokenVerifier {
  private final JwtParser parser;
  private final Set<String> accepted;

  JjwtVerifier(JwtParser parser, Set<String> accepted) {
    this.parser = parser;
    this.accepted = accepted;
  }

  @Override
  public AccessToken verify(String jwt) {
    Claims claims = parse(jwt);
    Set<String> aud = claims.getAudience();
    if (aud == null || aud.stream().noneMatch(accepted::contains)) {
      throw new InvalidTokenException(Reason.WRONG_AUDIENCE, "wrong audience");
    }
    if (claims.getExpiration() == null || claims.getId() == null) {
      throw new InvalidTokenException(Reason.MALFORMED, "exp and jti are required");
    }
    String subject = text(claims, "sub");
    String clientId = text(claims, "client_id");
    String scope = text(claims, "scope");
    // the gateway hands these to backends as X-Auth-* header values without re-validating them
    if (!headerSafe(subject) || !headerSafe(clientId) || !headerSafe(scope)) {
      throw new InvalidTokenException(Reason.MALFORMED, "claims with control characters");
    }
    return new AccessToken(claims.getId(), subject, clientId, scope,
        claims.getIssuedAt() == null ? 0 : claims.getIssuedAt().getTime() / 1000,
        claims.getExpiration().getTime() / 1000, text(claims, "sid"), List.copyOf(aud));
  }

  private Claims parse(String jwt) {
    try {
      return parser.parseSignedClaims(jwt).getPayload();
    } catch (InvalidTokenException e) {
      throw e;
    } catch (ExpiredJwtException e) {
      throw new InvalidTokenException(Reason.EXPIRED, "token expired");
    } catch (SignatureException e) {
      throw new InvalidTokenException(Reason.BAD_SIGNATURE, "bad signature");
    } catch (IncorrectClaimException | MissingClaimException e) {
      throw new InvalidTokenException(Reason.WRONG_ISSUER, "wrong issuer");
    } catch (JwtException | IllegalArgumentException | ClassCastException e) {
      throw new InvalidTokenException(Reason.MALFORMED, "malformed token");
    }
  }

  /** A claim that must be a JSON string when present (RFC 9068 §2.2: sub, client_id, scope; sid is ours). */
  private static String text(Claims claims, String name) {
    Object value = claims.get(name);
    if (value == null || value instanceof String) {
      return (String) value;
    }
    throw new InvalidTokenException(Reason.MALFORMED, "claim " + name + " is not a string");
  }

  /** RFC 9110 §5.5: no control characters (CR, LF, NUL ...) in a field value; tab is allowed. */
  private static boolean headerSafe(String value) {
    if (value == null) {
      return true;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 && c != '\t' || c == 0x7f) {
        return false;
      }
    }
    return true;
  }
}
