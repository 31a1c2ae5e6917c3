package io.tollgate.tokens;

import io.tollgate.config.TollgateConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signing keys: one active key signs, every listed key verifies (so that tokens signed before a
 * rotation stay valid until they expire), and the public ones are published in the JWKS. A key
 * that fails to load fails the start. Loading blocks: call it from a worker.
 */
public final class SigningKeys {
  private static final Pattern PEM = Pattern.compile(
      "-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

  private final String algorithm;
  private final String activeKid;
  private final Key signingKey;
  private final Map<String, Key> verification;

  private SigningKeys(String algorithm, String activeKid, Key signingKey, Map<String, Key> verification) {
    this.algorithm = algorithm;
    this.activeKid = activeKid;
    this.signingKey = signingKey;
    this.verification = Map.copyOf(verification);
  }

  public static SigningKeys load(TollgateConfig.Signing signing, Path dataDir) {
    String algorithm = signing.algorithm();
    var keys = signing.keys().isEmpty() ? java.util.List.of(developmentKey(algorithm, dataDir)) : signing.keys();
    Map<String, Key> verification = new LinkedHashMap<>();
    String activeKid = null;
    Key signingKey = null;
    for (TollgateConfig.SigningKey spec : keys) {
      try {
        Key signer;
        Key verifier;
        if ("HS256".equals(algorithm)) {
          signer = verifier = hmacKey(spec.secret());
        } else {
          Map<String, byte[]> blocks = spec.privateKey() != null ? pemBlocks(spec.privateKey()) : Map.of();
          Map<String, byte[]> publicBlocks = spec.publicKey() != null ? pemBlocks(spec.publicKey()) : blocks;
          KeyFactory factory = KeyFactory.getInstance(keyFamily(algorithm));
          signer = blocks.containsKey("PRIVATE KEY")
              ? factory.generatePrivate(new PKCS8EncodedKeySpec(blocks.get("PRIVATE KEY"))) : null;
          verifier = publicKey(factory, publicBlocks.get("PUBLIC KEY"), signer);
        }
        verification.put(spec.kid(), verifier);
        if (signer != null && (spec.active() || signingKey == null)) {
          signingKey = signer;
          activeKid = spec.kid();
        }
      } catch (GeneralSecurityException | IOException | RuntimeException e) {
        throw new IllegalStateException("signing key '" + spec.kid() + "' ("
            + (spec.privateKey() != null ? spec.privateKey() : spec.publicKey()) + ") cannot be loaded: " + e.getMessage(), e);
      }
    }
    if (signingKey == null) {
      throw new IllegalStateException("tokens.signing.keys: no key can sign (every key is public-only)");
    }
    return new SigningKeys(algorithm, activeKid, signingKey, verification);
  }

  public String algorithm() {
    return algorithm;
  }

  public String activeKid() {
    return activeKid;
  }

  public Key signingKey() {
    return signingKey;
  }

  /** The key for {@code kid}, or null when unknown. */
  public Key verificationKey(String kid) {
    return verification.get(kid);
  }

  /** Every public key that may still verify a live token; secret keys are never published. */
  public JsonObject jwks() {
    JsonArray keys = new JsonArray();
    verification.forEach((kid, key) -> {
      if (key instanceof PublicKey publicKey) {
        keys.add(jwk(kid, publicKey));
      }
    });
    return new JsonObject().put("keys", keys);
  }

  private JsonObject jwk(String kid, PublicKey key) {
    JsonObject jwk = new JsonObject().put("kid", kid).put("use", "sig").put("alg", algorithm);
    if (key instanceof ECPublicKey ec) {
      return jwk.put("kty", "EC").put("crv", "P-256")
          .put("x", b64(unsigned(ec.getW().getAffineX(), 32))).put("y", b64(unsigned(ec.getW().getAffineY(), 32)));
    }
    if (key instanceof RSAPublicKey rsa) {
      return jwk.put("kty", "RSA").put("n", b64(unsigned(rsa.getModulus(), 0)))
          .put("e", b64(unsigned(rsa.getPublicExponent(), 0)));
    }
    byte[] encoded = key.getEncoded(); // Ed25519 SubjectPublicKeyInfo: the last 32 bytes are the key
    return jwk.put("kty", "OKP").put("crv", "Ed25519")
        .put("x", b64(Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length)));
  }

  private static PublicKey publicKey(KeyFactory factory, byte[] x509, Key privateKey) throws GeneralSecurityException {
    if (x509 != null) {
      return factory.generatePublic(new X509EncodedKeySpec(x509));
    }
    if (privateKey instanceof RSAPrivateCrtKey rsa) {
      return factory.generatePublic(new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
    }
    throw new GeneralSecurityException("no PUBLIC KEY block: append `openssl pkey -pubout` to the file or set public:");
  }

  /** Development only: one key per algorithm under {@code dataDir/keys}, made once and kept. */
  private static TollgateConfig.SigningKey developmentKey(String algorithm, Path dataDir) {
    String kid = "dev-" + algorithm.toLowerCase();
    Path file = dataDir.resolve("keys").resolve(kid + ".pem");
    try {
      if (!Files.exists(file)) {
        Files.createDirectories(file.getParent());
        String content;
        if ("HS256".equals(algorithm)) {
          byte[] secret = new byte[32];
          new SecureRandom().nextBytes(secret);
          content = Base64.getEncoder().encodeToString(secret);
        } else {
          KeyPair pair = generate(algorithm);
          content = pem("PRIVATE KEY", pair.getPrivate().getEncoded()) + pem("PUBLIC KEY", pair.getPublic().getEncoded());
        }
        Path tmp = Files.createTempFile(file.getParent(), kid, ".tmp");
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        Files.writeString(tmp, content);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      }
      if ("HS256".equals(algorithm)) {
        return new TollgateConfig.SigningKey(kid, null, null, Files.readString(file).trim(), true);
      }
      return new TollgateConfig.SigningKey(kid, file, null, null, true);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot create the development key " + file + ": " + e.getMessage(), e);
    }
  }

  private static KeyPair generate(String algorithm) throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance(keyFamily(algorithm));
    switch (algorithm) {
      case "ES256" -> generator.initialize(new ECGenParameterSpec("secp256r1"));
      case "RS256" -> generator.initialize(2048);
      default -> { }
    }
    return generator.generateKeyPair();
  }

  private static String keyFamily(String algorithm) {
    return switch (algorithm) {
      case "ES256" -> "EC";
      case "RS256" -> "RSA";
      case "EdDSA" -> "Ed25519";
      default -> throw new IllegalArgumentException("no key pair for " + algorithm);
    };
  }

  private static Key hmacKey(String secret) {
    if (secret == null) {
      throw new IllegalArgumentException("an HS256 key needs a secret");
    }
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(secret);
    } catch (IllegalArgumentException notBase64) {
      bytes = secret.getBytes(StandardCharsets.UTF_8);
    }
    if (bytes.length < 32) {
      throw new IllegalArgumentException("an HS256 secret needs at least 32 bytes");
    }
    return new SecretKeySpec(bytes, "HmacSHA256");
  }

  private static Map<String, byte[]> pemBlocks(Path file) throws IOException {
    Map<String, byte[]> blocks = new LinkedHashMap<>();
    Matcher m = PEM.matcher(Files.readString(file));
    while (m.find()) {
      blocks.put(m.group(1), Base64.getMimeDecoder().decode(m.group(2)));
    }
    if (blocks.isEmpty()) {
      throw new IOException("no PEM block in " + file);
    }
    return blocks;
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  private static byte[] unsigned(BigInteger value, int length) {
    byte[] bytes = value.toByteArray();
    if (bytes.length > 1 && bytes[0] == 0) {
      bytes = Arrays.copyOfRange(bytes, 1, bytes.length);
    }
    if (length > bytes.length) {
      byte[] padded = new byte[length];
      System.arraycopy(bytes, 0, padded, length - bytes.length, bytes.length);
      return padded;
    }
    return bytes;
  }

  private static String b64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
