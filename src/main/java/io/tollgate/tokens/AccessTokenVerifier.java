package io.tollgate.tokens;

import io.jsonwebtoken.Claims;
import io.jsonwebtoken.ExpiredJwtException;
import io.jsonwebtoken.IncorrectClaimException;
import io.jsonwebtoken.JwsHeader;
import io.jsonwebtoken.JwtException;
import io.jsonwebtoken.JwtParser;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.LocatorAdapter;
import io.jsonwebtoken.MissingClaimException;
import io.jsonwebtoken.security.SignatureException;
import io.tollgate.tokens.InvalidTokenException.Reason;
import java.security.Key;
import java.util.List;
import java.util.Set;

/** Verifies our access tokens: configured algorithm and known kids only, typ, exp/nbf, iss, aud. */
public interface AccessTokenVerifier {
  AccessToken verify(String jwt);

  static AccessTokenVerifier create(SigningKeys keys, String issuer, List<String> audience, long leewaySeconds) {
    JwtParser parser = Jwts.parser()
        .keyLocator(new LocatorAdapter<Key>() {
          @Override
          protected Key locate(JwsHeader header) {
            // refuse algorithm confusion before any key is handed out (RFC 8725 §3.1)
            if (!keys.algorithm().equals(header.getAlgorithm())) {
              throw new InvalidTokenException(Reason.WRONG_ALGORITHM, "algorithm not accepted");
            }
            if (!"at+jwt".equals(header.getType())) {
              throw new InvalidTokenException(Reason.WRONG_TYPE, "not an access token");
            }
            Key key = header.getKeyId() == null ? null : keys.verificationKey(header.getKeyId());
            if (key == null) {
              throw new InvalidTokenException(Reason.UNKNOWN_KID, "unknown key");
            }
            return key;
          }
        })
        .requireIssuer(issuer)
        .clockSkewSeconds(leewaySeconds)
        .build();
    Set<String> accepted = Set.copyOf(audience);
    return jwt -> {
      Claims claims;
      try {
        claims = parser.parseSignedClaims(jwt).getPayload();
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
      Set<String> aud = claims.getAudience();
      if (aud == null || aud.stream().noneMatch(accepted::contains)) {
        throw new InvalidTokenException(Reason.WRONG_AUDIENCE, "wrong audience");
      }
      if (claims.getExpiration() == null || claims.getId() == null) {
        throw new InvalidTokenException(Reason.MALFORMED, "exp and jti are required");
      }
      String subject = claims.getSubject();
      String clientId = claims.get("client_id", String.class);
      String scope = claims.get("scope", String.class);
      // the gateway hands these to backends as X-Auth-* header values without re-validating them
      if (!headerSafe(subject) || !headerSafe(clientId) || !headerSafe(scope)) {
        throw new InvalidTokenException(Reason.MALFORMED, "claims with control characters");
      }
      return new AccessToken(claims.getId(), subject, clientId, scope,
          claims.getIssuedAt() == null ? 0 : claims.getIssuedAt().getTime() / 1000,
          claims.getExpiration().getTime() / 1000, claims.get("sid", String.class), List.copyOf(aud));
    };
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
