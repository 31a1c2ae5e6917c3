package io.tollgate.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jsonwebtoken.Jwts;
import io.tollgate.TestTollgate;
import io.tollgate.config.TollgateConfig;
import io.tollgate.tokens.AccessToken;
import io.tollgate.tokens.SigningKeys;
import io.tollgate.tokens.TokenMinter;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Forged and stale tokens against the running gateway: each is a 401 {@code invalid_token}, and
 * the backend never sees the request. The forger holds Tollgate's own key where that makes the
 * forgery harder to refuse (another issuer, another audience, expired).
 */
class ForgedTokensTest {
  static final String ISS = "https://api.profix-it.nl";
  static Vertx vertx;
  static TestTollgate tollgate;
  static SigningKeys keys;
  static final java.util.concurrent.atomic.AtomicInteger backendHits = new java.util.concurrent.atomic.AtomicInteger();

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    HttpServer backend = vertx.createHttpServer().requestHandler(req -> {
      backendHits.incrementAndGet();
      req.response().end("{}");
    }).listen(0, "127.0.0.1").await();
    JsonObject config = TestTollgate.config("forged");
    config.put("routes", new JsonArray().add(new JsonObject().put("path", "/api/")
        .put("backends", new JsonArray().add("http://127.0.0.1:" + backend.actualPort()))));
    tollgate = TestTollgate.start(config);
    // the development key Tollgate generated into its data directory
    keys = SigningKeys.load(new TollgateConfig.Signing("ES256", List.of()), Path.of(config.getString("dataDir")));
  }

  @AfterAll
  static void stop() {
    tollgate.close();
    vertx.close().await();
  }

  private static AccessToken claims(long expiresIn, List<String> audience) {
    long now = System.currentTimeMillis() / 1000;
    return new AccessToken("forged-" + now, "1", "s6BhdRkqt3", "profile admin", now, now + expiresIn, null, audience);
  }

  private static String b64(String json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void ourOwnTokenPasses() {
    assertEquals(200, call(TokenMinter.create(keys, ISS, List.of(ISS)).mint(claims(600, List.of(ISS)))).statusCode());
  }

  @Test
  void forgeriesAreInvalidTokens() throws Exception {
    long exp = System.currentTimeMillis() / 1000 + 600;
    String payload = b64("{\"iss\":\"" + ISS + "\",\"aud\":\"" + ISS + "\",\"sub\":\"1\",\"client_id\":\"x\","
        + "\"scope\":\"admin\",\"jti\":\"n\",\"exp\":" + exp + "}");
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    PrivateKey stranger = generator.generateKeyPair().getPrivate();
    byte[] publicKey = keys.verificationKey(keys.activeKid()).getEncoded();
    Map<String, String> forgeries = Map.of(
        "alg none", b64("{\"alg\":\"none\",\"typ\":\"at+jwt\",\"kid\":\"" + keys.activeKid() + "\"}") + "." + payload + ".",
        "HS256 keyed with our public key", Jwts.builder().header().type("at+jwt").keyId(keys.activeKid()).and()
            .issuer(ISS).audience().add(ISS).and().subject("1").id("h").expiration(new Date(exp * 1000))
            .signWith(new SecretKeySpec(publicKey, "HmacSHA256"), Jwts.SIG.HS256).compact(),
        "unknown kid", Jwts.builder().header().type("at+jwt").keyId("k-unknown").and()
            .issuer(ISS).audience().add(ISS).and().subject("1").id("u").expiration(new Date(exp * 1000))
            .signWith(stranger, Jwts.SIG.ES256).compact(),
        "a stranger's key under our kid", Jwts.builder().header().type("at+jwt").keyId(keys.activeKid()).and()
            .issuer(ISS).audience().add(ISS).and().subject("1").id("s").expiration(new Date(exp * 1000))
            .signWith(stranger, Jwts.SIG.ES256).compact(),
        "expired", TokenMinter.create(keys, ISS, List.of(ISS)).mint(claims(-120, List.of(ISS))),
        "another issuer", TokenMinter.create(keys, "https://evil.example", List.of(ISS)).mint(claims(600, List.of(ISS))),
        "another audience", TokenMinter.create(keys, ISS, List.of("https://elsewhere.example"))
            .mint(claims(600, List.of("https://elsewhere.example"))),
        "not a JWT", "definitely-not-a-jwt");
    int hitsBefore = backendHits.get();
    for (Map.Entry<String, String> forgery : forgeries.entrySet()) {
      HttpResponse<String> response = call(forgery.getValue());
      assertEquals(401, response.statusCode(), forgery.getKey());
      assertTrue(response.headers().firstValue("WWW-Authenticate").orElse("").contains("error=\"invalid_token\""),
          forgery.getKey());
      assertEquals("invalid_token", new JsonObject(response.body()).getString("error"), forgery.getKey());
    }
    assertEquals(hitsBefore, backendHits.get(), "no forgery reached the backend");
  }

  /**
   * Issue 17 row 7: signed with Tollgate's own key, iss, aud, exp and jti right, but a claim that must
   * be a string is a number, an array or an object. Each is an invalid token at once (not an
   * exception that leaves the connection hanging), at the gateway and at the admin API.
   */
  @Test
  void signedTokensWithNonStringClaimsAreInvalidTokens() {
    Map<String, String> claims = Map.of(
        "scope as an array", "\"sub\":\"1\",\"client_id\":\"s6BhdRkqt3\",\"scope\":[\"admin\"]",
        "scope as a number", "\"sub\":\"1\",\"client_id\":\"s6BhdRkqt3\",\"scope\":7",
        "client_id as a number", "\"sub\":\"1\",\"client_id\":42,\"scope\":\"admin\"",
        "client_id as an object", "\"sub\":\"1\",\"client_id\":{\"id\":\"x\"},\"scope\":\"admin\"",
        "sub as a number", "\"sub\":1,\"client_id\":\"s6BhdRkqt3\",\"scope\":\"admin\"",
        "sub as an array", "\"sub\":[\"1\"],\"client_id\":\"s6BhdRkqt3\",\"scope\":\"admin\"");
    assertEquals(200, call(signed("\"sub\":\"1\",\"client_id\":\"s6BhdRkqt3\",\"scope\":\"admin\"")).statusCode(),
        "the same token with string claims passes: what is refused below is the claim's type");
    int hitsBefore = backendHits.get();
    for (Map.Entry<String, String> claim : claims.entrySet()) {
      String jwt = signed(claim.getValue());
      HttpResponse<String> response = call(jwt);
      assertEquals(401, response.statusCode(), claim.getKey());
      assertTrue(response.headers().firstValue("WWW-Authenticate").orElse("").contains("error=\"invalid_token\""),
          claim.getKey());
      assertEquals("invalid_token", new JsonObject(response.body()).getString("error"), claim.getKey());
      HttpResponse<String> admin = tollgate.send(HttpRequest.newBuilder(tollgate.uri("/admin/users"))
          .header("Authorization", "Bearer " + jwt).build());
      assertEquals(401, admin.statusCode(), "admin API: " + claim.getKey());
      assertTrue(admin.headers().firstValue("WWW-Authenticate").orElse("").contains("error=\"invalid_token\""),
          "admin API: " + claim.getKey());
    }
    assertEquals(hitsBefore, backendHits.get(), "no such token reached the backend");
  }

  /** A token signed with Tollgate's active key whose payload is exactly these claims plus iss, aud, exp, jti. */
  private static String signed(String claims) {
    long exp = System.currentTimeMillis() / 1000 + 600;
    String payload = "{\"iss\":\"" + ISS + "\",\"aud\":\"" + ISS + "\",\"jti\":\"t-" + System.nanoTime()
        + "\",\"exp\":" + exp + "," + claims + "}";
    return Jwts.builder().header().type("at+jwt").keyId(keys.activeKid()).and()
        .content(payload.getBytes(StandardCharsets.UTF_8))
        .signWith((PrivateKey) keys.signingKey(), Jwts.SIG.ES256).compact();
  }

  private static HttpResponse<String> call(String token) {
    return tollgate.send(HttpRequest.newBuilder(tollgate.uri("/api/x")).header("Authorization", "Bearer " + token).build());
  }
}
