package io.tollgate.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tollgate.config.TollgateConfig;
import io.tollgate.tokens.OpaqueTokens;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PasswordHasherTest {
  static Vertx vertx;
  static PasswordHasher hasher;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    hasher = PasswordHasher.create(vertx, new TollgateConfig.PasswordHash("argon2id", 19_456, 2, 1));
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  @Test
  void hashesAreArgon2idAtOwaspCostAndVerify() {
    String hash = hasher.hash("correct horse").await();
    assertTrue(hash.startsWith("$argon2id$v=19$m=19456,t=2,p=1$"), hash);
    assertTrue(hasher.verify(hash, "correct horse").await());
    assertFalse(hasher.verify(hash, "wrong horse").await());
    assertNotEquals(hash, hasher.hash("correct horse").await(), "salted");
  }

  @Test
  void hashingRunsOnTheDedicatedWorkerPoolNotTheCaller() {
    // called from an event loop, as the endpoints do
    io.vertx.core.Promise<String> seen = io.vertx.core.Promise.promise();
    vertx.runOnContext(v -> hasher.hash("x").onComplete(h -> seen.complete(hasher.lastHashThread)));
    String thread = seen.future().await();
    assertTrue(thread.contains("tollgate-hash"), thread);
  }

  @Test
  void anUnknownUserCostsAboutWhatAWrongPasswordCosts() {
    String hash = hasher.hash("secret").await();
    hasher.verify(hash, "warm-up").await();
    long wrong = time(() -> hasher.verify(hash, "nope").await());
    long unknown = time(() -> assertFalse(hasher.verify(null, "nope").await()));
    double ratio = (double) unknown / wrong;
    assertTrue(ratio > 0.3 && ratio < 3, "unknown/wrong = " + ratio);
  }

  @Test
  void creatingTheHasherHashesNothing() {
    // start-up (issue 6): no dummy hash at construction; an unknown user hashes the password it brought
    PasswordHasher fresh = PasswordHasher.create(vertx, new TollgateConfig.PasswordHash("argon2id", 19_456, 2, 1));
    assertEquals(null, fresh.lastHashThread);
    assertFalse(fresh.verify(null, "nope").await());
    assertTrue(fresh.lastHashThread.contains("tollgate-hash"), fresh.lastHashThread);
  }

  @Test
  void theFirstUnknownUserOfAFreshHasherCostsAboutWhatAWrongPasswordCosts() {
    PasswordHasher fresh = PasswordHasher.create(vertx, new TollgateConfig.PasswordHash("argon2id", 19_456, 2, 1));
    String hash = hasher.hash("secret").await();
    hasher.verify(hash, "warm-up").await();
    long unknown = time(() -> assertFalse(fresh.verify(null, "nope").await()));
    long wrong = time(() -> assertFalse(fresh.verify(hash, "nope").await()));
    double ratio = (double) unknown / wrong;
    assertTrue(ratio > 0.3 && ratio < 3, "unknown/wrong = " + ratio);
  }

  @Test
  void aVerifiedClientSecretIsNotHashedAgain() {
    ClientSecretVerifier secrets = ClientSecretVerifier.create(hasher);
    String stored = hasher.hash("gX1fBat3bV").await();
    assertTrue(secrets.verify("c", stored, "gX1fBat3bV").await());
    long fast = time(() -> {
      for (int i = 0; i < 200; i++) {
        assertTrue(secrets.verify("c", stored, "gX1fBat3bV").await());
      }
    });
    assertTrue(fast < 500, "200 cached checks took " + fast + " ms: the slow hash ran");
    assertFalse(secrets.verify("c", stored, "gX1fBat3bW").await());
    String rotated = hasher.hash("new-secret-1").await();
    assertFalse(secrets.verify("c", rotated, "gX1fBat3bV").await(), "a changed secret invalidates the cache");
  }

  @Test
  void randomTokensAreLongAndFresh() {
    assertEquals(43, OpaqueTokens.randomToken().length());
    assertNotEquals(OpaqueTokens.randomToken(), OpaqueTokens.randomToken());
    assertEquals(32, OpaqueTokens.sha256("x").length);
  }

  private static long time(Runnable task) {
    long start = System.nanoTime();
    task.run();
    return (System.nanoTime() - start) / 1_000_000;
  }
}
