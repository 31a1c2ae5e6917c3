package io.tollgate.tokens;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jsonwebtoken.Jwts;
import io.tollgate.config.TollgateConfig;
import io.tollgate.crypto.CryptoProviders;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.PrivateKey;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The one acceptance rule: verify, then the revocation list, then a principal with its scopes parsed once. */
class TokenAcceptorTest {
  static final String ISS = "https://api.profix-it.nl";
  static SigningKeys keys;
  static TokenMinter minter;
  static AccessTokenVerifier verifier;

  @BeforeAll
  static void keys() throws Exception {
    CryptoProviders.install();
    keys = SigningKeys.load(new TollgateConfig.Signing("ES256", List.of()), Files.createTempDirectory("keys"));
    minter = TokenMinter.create(keys, ISS, List.of(ISS));
    verifier = AccessTokenVerifier.create(keys, ISS, List.of(ISS), 0);
  }

  private static String token(String jti, String scope) {
    long now = System.currentTimeMillis() / 1000;
    return minter.mint(new AccessToken(jti, "456", "portal-consumer", scope, now, now + 600, null, List.of(ISS)));
  }

  @Test
  void anAcceptedTokenIsAPrincipalWithItsScopeSet() {
    Principal principal = TokenAcceptor.create(verifier, new RevocationList(0)).accept(token("j1", "profile orders"));
    assertEquals(Set.of("profile", "orders"), principal.scopes());
    assertTrue(principal.hasScopes(Set.of("orders")));
    assertEquals("456", principal.subject());
    assertEquals("portal-consumer", principal.clientId());
    assertEquals(Set.of(), TokenAcceptor.create(verifier, new RevocationList(0)).accept(token("j2", null)).scopes());
  }

  @Test
  void aRevokedTokenIsRefusedEvenWhenItsVerificationWasKept() {
    RevocationList revocations = new RevocationList(0);
    TokenAcceptor acceptor = TokenAcceptor.create(verifier, revocations);
    Principal verified = acceptor.verify(token("j3", "profile"));
    assertSame(verified, acceptor.unrevoked(verified));
    revocations.revokeToken("j3", System.currentTimeMillis() / 1000 + 600);
    assertEquals(InvalidTokenException.Reason.REVOKED,
        assertThrows(InvalidTokenException.class, () -> acceptor.unrevoked(verified)).reason());
  }

  @Test
  void claimsOfTheWrongJsonTypeAreAMalformedTokenNotAnotherException() {
    TokenAcceptor acceptor = TokenAcceptor.create(verifier, new RevocationList(0));
    for (String claims : List.of("\"scope\":[\"admin\"]", "\"client_id\":42", "\"sub\":{\"id\":1}", "\"sid\":7")) {
      String payload = "{\"iss\":\"" + ISS + "\",\"aud\":\"" + ISS + "\",\"jti\":\"j\",\"exp\":"
          + (System.currentTimeMillis() / 1000 + 600) + "," + claims + "}";
      String jwt = Jwts.builder().header().type("at+jwt").keyId(keys.activeKid()).and()
          .content(payload.getBytes(StandardCharsets.UTF_8))
          .signWith((PrivateKey) keys.signingKey(), Jwts.SIG.ES256).compact();
      assertEquals(InvalidTokenException.Reason.MALFORMED,
          assertThrows(InvalidTokenException.class, () -> acceptor.accept(jwt)).reason(), claims);
    }
  }

  @Test
  void theBearerHeaderRuleIsRfc6750() {
    assertEquals("abc", TokenAcceptor.fromHeader("Bearer abc"));
    assertEquals("abc", TokenAcceptor.fromHeader("bearer  abc "));
    assertEquals(null, TokenAcceptor.fromHeader("Basic abc"));
    assertEquals(null, TokenAcceptor.fromHeader(null));
  }
}
