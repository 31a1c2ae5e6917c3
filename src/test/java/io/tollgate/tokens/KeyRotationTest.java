package io.tollgate.tokens;

import static io.tollgate.TestTollgate.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tollgate.TestTollgate;
import io.tollgate.config.ConfigException;
import io.tollgate.config.ConfigLoader;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * README "Operations", key rotation, issue 7: rotating the signing key without downtime, as a rolling change over two
 * instances on one database. Publish the new key everywhere, then make it the one that signs, then
 * (after an access-token lifetime) retire the old one; every live token stays valid throughout.
 */
class KeyRotationTest {
  static final String CLIENT = "s6BhdRkqt3:gX1fBat3bV";

  @Test
  void aRollingKeyRotationKeepsEveryLiveTokenValid() throws Exception {
    Path k1 = pem("k1");
    Path k2 = pem("k2");
    Vertx vertx = Vertx.vertx();
    HttpServer backend = vertx.createHttpServer().requestHandler(req -> req.response().end("{}"))
        .listen(0, "127.0.0.1").await();
    JsonObject base = TestTollgate.config("rotation");
    base.put("routes", new JsonArray().add(new JsonObject().put("path", "/api/")
        .put("backends", new JsonArray().add("http://127.0.0.1:" + backend.actualPort()))));
    JsonObject k1Only = keys(base, key("k1", k1, true));
    JsonObject bothK1Signs = keys(base, key("k1", k1, true), key("k2", k2, false));
    JsonObject bothK2Signs = keys(base, key("k1", k1, false), key("k2", k2, true));
    JsonObject k2Only = keys(base, key("k2", k2, true));
    try {
      String oldToken;
      try (TestTollgate a = TestTollgate.start(k1Only)) {
        oldToken = issue(a);
        assertEquals("k1", kid(oldToken));

        // step 1: every instance learns k2 while k1 still signs
        try (TestTollgate b = TestTollgate.start(bothK1Signs)) {
          assertEquals(List.of("k1", "k2"), jwksKids(b));
          assertEquals(200, call(b, oldToken));
          assertEquals("k1", kid(issue(b)), "k1 still signs");
        }
      }
      // step 2: one by one, the instances sign with k2; those not yet switched verify k2 already
      try (TestTollgate a = TestTollgate.start(bothK2Signs); TestTollgate b = TestTollgate.start(bothK1Signs)) {
        String newToken = issue(a);
        assertEquals("k2", kid(newToken));
        assertEquals(200, call(b, newToken), "an instance not yet switched accepts the new key's tokens");
        assertEquals(200, call(a, oldToken), "the old key's live tokens stay valid");
      }
      // step 3, after an access-token lifetime: k1 retired, and its tokens with it
      try (TestTollgate a = TestTollgate.start(k2Only)) {
        assertEquals(List.of("k2"), jwksKids(a));
        assertEquals(401, call(a, oldToken), "a retired key verifies nothing");
      }
    } finally {
      vertx.close().await();
    }
  }

  @Test
  void twoActiveKeysOrAPublicOnlyActiveKeyAreConfigErrors() throws Exception {
    Path k1 = pem("k1");
    JsonObject twoActive = keys(TestTollgate.config("rotation_bad"), key("k1", k1, true), key("k2", k1, true));
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(twoActive));
    assertTrue(e.getMessage().contains("tokens.signing.keys: at most one key may be active"), e.getMessage());
    JsonObject publicActive = keys(TestTollgate.config("rotation_bad2"),
        new JsonObject().put("kid", "k1").put("public", k1.toString()).put("active", true));
    e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(publicActive));
    assertTrue(e.getMessage().contains("tokens.signing.keys[0].active: a public-only key cannot sign"), e.getMessage());
  }

  @Test
  void aKeyThatCannotBeLoadedStopsTheStartAndLeavesNoConnectionOpen() throws Exception {
    // keys load while the database opens (issue 6): a failure there must still fail the whole start
    Path broken = Files.createTempFile("broken", ".pem");
    Files.writeString(broken, "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n");
    JsonObject config = keys(TestTollgate.config("rotation_broken"), key("k1", broken, true));
    Exception e = assertThrows(Exception.class, () -> TestTollgate.start(config));
    assertTrue(e.getMessage().contains("signing key 'k1'"), e.getMessage());
    Vertx vertx = Vertx.vertx();
    try {
      String url = config.getJsonObject("database").getString("url");
      Pool pool = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(url)).using(vertx).build();
      long others = pool.query("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
          + " AND pid <> pg_backend_pid()").execute().eventually(pool::close).await().iterator().next().getLong(0);
      assertEquals(0, others, "connections left open by the failed start");
    } finally {
      vertx.close().await();
    }
  }

  /** An ES256 key as the contract's key files are: PKCS#8 private key and its public key, PEM. */
  private static Path pem(String kid) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair pair = generator.generateKeyPair();
    Base64.Encoder b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
    Path file = Files.createTempFile(kid, ".pem");
    Files.writeString(file, "-----BEGIN PRIVATE KEY-----\n" + b64.encodeToString(pair.getPrivate().getEncoded())
        + "\n-----END PRIVATE KEY-----\n-----BEGIN PUBLIC KEY-----\n" + b64.encodeToString(pair.getPublic().getEncoded())
        + "\n-----END PUBLIC KEY-----\n");
    return file;
  }

  private static JsonObject key(String kid, Path file, boolean active) {
    return new JsonObject().put("kid", kid).put("private", file.toString()).put("active", active);
  }

  private static JsonObject keys(JsonObject base, JsonObject... keys) {
    JsonObject config = base.copy();
    config.getJsonObject("tokens").getJsonObject("signing").put("keys", new JsonArray(List.of((Object[]) keys)));
    return config;
  }

  private static String issue(TestTollgate tollgate) {
    return json(tollgate.postForm("/token", CLIENT, "grant_type", "client_credentials")).getString("access_token");
  }

  private static String kid(String jwt) {
    return new JsonObject(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[0]))).getString("kid");
  }

  private static List<String> jwksKids(TestTollgate tollgate) {
    return json(tollgate.get("/.well-known/jwks.json")).getJsonArray("keys").stream()
        .map(k -> ((JsonObject) k).getString("kid")).sorted().toList();
  }

  private static int call(TestTollgate tollgate, String token) {
    return tollgate.send(HttpRequest.newBuilder(tollgate.uri("/api/x")).header("Authorization", "Bearer " + token)
        .build()).statusCode();
  }
}
