package io.tollgate.tokens;

import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.SecureDigestAlgorithm;
import java.security.Key;
import java.util.Date;
import java.util.List;

/** Signs access tokens: RFC 9068 profile, the configured algorithm, the active key. */
public interface TokenMinter {
  String mint(AccessToken token);

  @SuppressWarnings("unchecked")
  static TokenMinter create(SigningKeys keys, String issuer, List<String> audience) {
    Key key = keys.signingKey();
    String kid = keys.activeKid();
    SecureDigestAlgorithm<Key, ?> algorithm = (SecureDigestAlgorithm<Key, ?>) Jwts.SIG.get().get(keys.algorithm());
    return token -> {
      var builder = Jwts.builder()
          .header().type("at+jwt").keyId(kid).and()
          .issuer(issuer)
          .subject(token.subject())
          .audience().add(token.audience()).and()
          .claim("client_id", token.clientId())
          .claim("scope", token.scope())
          .issuedAt(new Date(token.issuedAt() * 1000))
          .expiration(new Date(token.expiresAt() * 1000))
          .id(token.jti());
      if (token.sid() != null) {
        builder.claim("sid", token.sid());
      }
      return builder.signWith(key, algorithm).compact();
    };
  }
}
