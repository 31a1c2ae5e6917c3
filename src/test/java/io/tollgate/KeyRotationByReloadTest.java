package io.tollgate;

import static io.tollgate.TestTollgate.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * README "Operations", key rotation by reload: two instances on one database rotate their signing
 * key without a restart: add the new key and reload every instance, switch the active key and
 * reload, retire the old one and reload. Every live token, from either key and either instance, is
 * accepted by both instances throughout; a token of the retired key is refused afterwards, also
 * where the gateway had it cached as verified.
 */
class KeyRotationByReloadTest {
  static final String CLIENT = "s6BhdRkqt3:gX1fBat3bV";

  @Test
  void aRotationDoneByReloadsKeepsEveryLiveTokenValidOnBothInstances() throws Exception {
    Path keyA = pem("A");
    Path keyB = pem("B");
    try (RecordingBackend backend = new RecordingBackend()) {
      JsonObject base = TestTollgate.config("rotation_by_reload");
      base.put("routes", new JsonArray().add(new JsonObject().put("path", "/api/")
          .put("backends", new JsonArray().add(backend.url()))));
      // same database and data directory, a file each: two instances of one service
      try (TestTollgate one = TestTollgate.startFromFile(keys(base, key("A", keyA, true)), file());
          TestTollgate two = TestTollgate.startFromFile(keys(base, key("A", keyA, true)), file())) {
        List<TestTollgate> both = List.of(one, two);
        List<String> live = new ArrayList<>();
        live.add(issue(one));
        live.add(issue(two));
        assertEquals(List.of("A", "A"), live.stream().map(KeyRotationByReloadTest::kid).toList());
        acceptedEverywhere(both, live, "before the rotation");

        // step 1: every instance publishes B, A still signs
        reloadAll(both, keys(base, key("A", keyA, true), key("B", keyB, false)), "tokens.signing");
        for (TestTollgate instance : both) {
          assertEquals(List.of("A", "B"), jwksKids(instance));
          assertEquals("A", kid(issue(instance)), "A still signs");
        }
        acceptedEverywhere(both, live, "after B was published");

        // step 2: B signs; instance one is switched first, and two accepts its tokens before it switches too
        JsonObject bSigns = keys(base, key("A", keyA, false), key("B", keyB, true));
        reload(one, bSigns, "tokens.signing");
        String fromOne = issue(one);
        assertEquals("B", kid(fromOne));
        live.add(fromOne);
        acceptedEverywhere(both, live, "halfway through the switch");
        reload(two, bSigns, "tokens.signing");
        String fromTwo = issue(two);
        assertEquals("B", kid(fromTwo));
        live.add(fromTwo);
        acceptedEverywhere(both, live, "after the switch");

        // step 3 (after an access-token lifetime): A retired everywhere, and its tokens with it
        reloadAll(both, keys(base, key("B", keyB, true)), "tokens.signing");
        for (TestTollgate instance : both) {
          assertEquals(List.of("B"), jwksKids(instance));
          for (String token : live.subList(0, 2)) {
            HttpResponse<String> refused = call(instance, token);
            assertEquals(401, refused.statusCode(), "a token of the retired key, verified and cached before");
            assertEquals("invalid_token", json(refused).getString("error"));
          }
        }
        acceptedEverywhere(both, live.subList(2, 4), "after A was retired");
      }
    }
  }

  private static void reloadAll(List<TestTollgate> instances, JsonObject config, String applied) {
    instances.forEach(instance -> reload(instance, config, applied));
  }

  private static void reload(TestTollgate instance, JsonObject config, String applied) {
    TestTollgate.write(instance.configFile(), config);
    Reload.Outcome outcome = instance.reload();
    assertFalse(outcome.refused(), outcome.problems().toString());
    assertTrue(outcome.applied().contains(applied), outcome.applied().toString());
  }

  private static void acceptedEverywhere(List<TestTollgate> instances, List<String> tokens, String when) {
    for (TestTollgate instance : instances) {
      for (String token : tokens) {
        assertEquals(200, call(instance, token).statusCode(), when + ": a token of key " + kid(token));
      }
    }
  }

  private static Path file() throws Exception {
    return Files.createTempFile("tollgate-rotation", ".yaml");
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

  private static HttpResponse<String> call(TestTollgate tollgate, String token) {
    return tollgate.send(HttpRequest.newBuilder(tollgate.uri("/api/x")).header("Authorization", "Bearer " + token)
        .build());
  }
}
