package io.tollgate.tokens;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jsonwebtoken.Jwts;
import io.tollgate.config.TollgateConfig;
import io.tollgate.crypto.CryptoProviders;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Only our own, live tokens pass: forged, confused, foreign and stale ones do not. */
class AccessTokenVerifierTest {
  static final String ISS = "https://api.profix-it.nl";
  static final List<String> AUD = List.of(ISS);
  static SigningKeys keys;
  static TokenMinter minter;
  static AccessTokenVerifier verifier;

  @BeforeAll
  static void keys() throws Exception {
    CryptoProviders.install();
    Path dir = Files.createTempDirectory("keys");
    keys = SigningKeys.load(new TollgateConfig.Signing("ES256", List.of()), dir);
    minter = TokenMinter.create(keys, ISS, AUD);
    verifier = AccessTokenVerifier.create(keys, ISS, AUD, 0);
  }

  private static AccessToken token(long exp) {
    long now = System.currentTimeMillis() / 1000;
    return new AccessToken("jti-1", "123", "client", "profile", now, now + exp, null, AUD);
  }

  private static InvalidTokenException.Reason reasonOf(String jwt) {
    return assertThrows(InvalidTokenException.class, () -> verifier.verify(jwt)).reason();
  }

  @Test
  void aMintedTokenVerifies() {
    AccessToken verified = verifier.verify(minter.mint(token(600)));
    assertEquals("123", verified.subject());
    assertEquals("profile", verified.scope());
  }

  @Test
  void claimsThatCannotBeHeaderValuesMakeTheTokenMalformed() {
    // the gateway passes sub, client_id and scope to backends as X-Auth-* headers without re-validating them
    long now = System.currentTimeMillis() / 1000;
    for (String bad : List.of("123\r\nX-Auth-Scope: admin", "a\u0000b", "a\u007fb")) {
      assertEquals(InvalidTokenException.Reason.MALFORMED,
          reasonOf(minter.mint(new AccessToken("j", bad, "client", "profile", now, now + 600, null, AUD))), bad);
      assertEquals(InvalidTokenException.Reason.MALFORMED,
          reasonOf(minter.mint(new AccessToken("j", "1", bad, "profile", now, now + 600, null, AUD))), bad);
      assertEquals(InvalidTokenException.Reason.MALFORMED,
          reasonOf(minter.mint(new AccessToken("j", "1", "client", bad, now, now + 600, null, AUD))), bad);
    }
    assertEquals("a\tb", verifier.verify(minter.mint(new AccessToken("j", "a\tb", "c", "p", now, now + 600, null, AUD)))
        .subject(), "a tab is a legal field-value character");
  }

  @Test
  void theDevelopmentKeySurvivesARestart() throws Exception {
    Path dir = Files.createTempDirectory("keys");
    SigningKeys first = SigningKeys.load(new TollgateConfig.Signing("ES256", List.of()), dir);
    SigningKeys second = SigningKeys.load(new TollgateConfig.Signing("ES256", List.of()), dir);
    assertEquals(first.jwks(), second.jwks());
  }

  @Test
  void algNoneIsRefused() {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String header = b64.encodeToString("{\"alg\":\"none\",\"typ\":\"at+jwt\",\"kid\":\"dev-es256\"}".getBytes(StandardCharsets.UTF_8));
    String body = b64.encodeToString(("{\"iss\":\"" + ISS + "\",\"aud\":\"" + ISS + "\",\"sub\":\"1\",\"jti\":\"x\",\"exp\":"
        + (System.currentTimeMillis() / 1000 + 600) + "}").getBytes(StandardCharsets.UTF_8));
    assertEquals(InvalidTokenException.Reason.MALFORMED, reasonOf(header + "." + body + "."));
  }

  @Test
  void hs256SignedWithThePublicKeyIsRefused() {
    byte[] publicKey = ((java.security.PublicKey) keys.verificationKey(keys.activeKid())).getEncoded();
    String forged = Jwts.builder().header().type("at+jwt").keyId(keys.activeKid()).and()
        .issuer(ISS).audience().add(ISS).and().subject("1").id("x")
        .expiration(new Date(System.currentTimeMillis() + 600_000))
        .signWith(new SecretKeySpec(publicKey, "HmacSHA256"), Jwts.SIG.HS256).compact();
    assertEquals(InvalidTokenException.Reason.WRONG_ALGORITHM, reasonOf(forged));
  }

  @Test
  void anotherKeyUnderOurKidOrAnUnknownKidIsRefused() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair other = generator.generateKeyPair();
    for (String kid : List.of(keys.activeKid(), "someone-else")) {
      String forged = Jwts.builder().header().type("at+jwt").keyId(kid).and()
          .issuer(ISS).audience().add(ISS).and().subject("1").id("x")
          .expiration(new Date(System.currentTimeMillis() + 600_000))
          .signWith(other.getPrivate(), Jwts.SIG.ES256).compact();
      assertEquals(kid.equals("someone-else") ? InvalidTokenException.Reason.UNKNOWN_KID
          : InvalidTokenException.Reason.BAD_SIGNATURE, reasonOf(forged));
    }
  }

  @Test
  void expiredWrongIssuerWrongAudienceAndWrongTypeAreRefused() {
    assertEquals(InvalidTokenException.Reason.EXPIRED, reasonOf(minter.mint(token(-10))));
    long now = System.currentTimeMillis() / 1000;
    AccessToken foreignAudience = new AccessToken("j", "1", "c", "s", now, now + 600, null, List.of("https://other"));
    assertEquals(InvalidTokenException.Reason.WRONG_AUDIENCE, reasonOf(minter.mint(foreignAudience)));
    String otherIssuer = TokenMinter.create(keys, "https://evil.example", AUD).mint(token(600));
    assertEquals(InvalidTokenException.Reason.WRONG_ISSUER, reasonOf(otherIssuer));
    String idToken = Jwts.builder().header().type("JWT").keyId(keys.activeKid()).and()
        .issuer(ISS).audience().add(ISS).and().subject("1").id("x")
        .expiration(new Date(System.currentTimeMillis() + 600_000))
        .signWith((java.security.PrivateKey) keys.signingKey(), Jwts.SIG.ES256).compact();
    assertEquals(InvalidTokenException.Reason.WRONG_TYPE, reasonOf(idToken));
  }

  @Test
  void rs256KeysFromPemFilesWork() throws Exception {
    Path dir = Files.createTempDirectory("keys");
    SigningKeys rsa = SigningKeys.load(new TollgateConfig.Signing("RS256", List.of()), dir);
    Path pem = dir.resolve("keys/dev-rs256.pem");
    SigningKeys fromFile = SigningKeys.load(new TollgateConfig.Signing("RS256",
        List.of(new TollgateConfig.SigningKey("k1", pem, null, null, true))), dir);
    String jwt = TokenMinter.create(fromFile, ISS, AUD).mint(token(600));
    assertEquals("123", AccessTokenVerifier.create(fromFile, ISS, AUD, 0).verify(jwt).subject());
    assertEquals("RSA", rsa.jwks().getJsonArray("keys").getJsonObject(0).getString("kty"));
  }

  @Test
  void aGarbledKeyFileFailsNamingTheKid() throws Exception {
    Path bad = Files.createTempFile("bad", ".pem");
    Files.writeString(bad, "not a key");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> SigningKeys.load(
        new TollgateConfig.Signing("ES256", List.of(new TollgateConfig.SigningKey("k9", bad, null, null, true))), bad.getParent()));
    assertEquals(true, e.getMessage().contains("k9"));
  }
}
