package io.tollgate.crypto;

import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Client secrets are stored as argon2id, but an argon2 hash per client_credentials request would
 * cap throughput at the hash rate. So after one successful slow check we remember a keyed HMAC of
 * (stored hash, presented secret) under a per-process random key: never the secret itself, and
 * useless outside this process. A changed stored hash or a different secret takes the slow path.
 */
public final class ClientSecretVerifier {
  private static final int MAX_ENTRIES = 10_000;

  private final PasswordHasher hasher;
  private final SecretKeySpec key;
  private final ThreadLocal<Mac> macs;
  private final Map<String, byte[]> verified = new ConcurrentHashMap<>();

  private ClientSecretVerifier(PasswordHasher hasher) {
    this.hasher = hasher;
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    this.key = new SecretKeySpec(bytes, "HmacSHA256");
    this.macs = ThreadLocal.withInitial(this::newMac);
  }

  public static ClientSecretVerifier create(PasswordHasher hasher) {
    return new ClientSecretVerifier(hasher);
  }

  /** True when {@code presented} is the secret whose hash is {@code storedHash} (null: unknown client). */
  public Future<Boolean> verify(String clientId, String storedHash, String presented) {
    if (storedHash == null) {
      return hasher.verify(null, presented);
    }
    byte[] fingerprint = fingerprint(storedHash, presented);
    byte[] known = verified.get(clientId);
    if (known != null && MessageDigest.isEqual(known, fingerprint)) {
      return Future.succeededFuture(true);
    }
    return hasher.verify(storedHash, presented).map(ok -> {
      if (ok) {
        if (verified.size() >= MAX_ENTRIES) {
          verified.clear();
        }
        verified.put(clientId, fingerprint);
      }
      return ok;
    });
  }

  private byte[] fingerprint(String storedHash, String presented) {
    Mac mac = macs.get();
    mac.update(storedHash.getBytes(StandardCharsets.UTF_8));
    mac.update((byte) 0);
    return mac.doFinal(presented.getBytes(StandardCharsets.UTF_8));
  }

  private Mac newMac() {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JRE", e);
    }
  }
}
