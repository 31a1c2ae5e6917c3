package io.tollgate.tokens;

import io.jsonwebtoken.JwsHeader;
import io.jsonwebtoken.JwtParser;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.LocatorAdapter;
import io.tollgate.tokens.InvalidTokenException.Reason;
import java.security.Key;
import java.util.List;
import java.util.Set;

/** Verifies our access tokens: configured algorithm and known kids only, typ, exp/nbf, iss, aud. */
public interface AccessTokenVerifier {
  /** The claims of a valid token; an {@link InvalidTokenException} for anything else, never another exception. */
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
    return new JjwtVerifier(parser, Set.copyOf(audience));
  }
}
