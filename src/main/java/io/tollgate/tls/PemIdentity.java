package io.tollgate.tls;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Locale;

/**
 * One PEM certificate chain and its private key (RSA or ECDSA; PKCS#8, PKCS#1 or SEC 1), checked
 * before it serves: the key must match the leaf certificate and the leaf must be valid now.
 * The key's text is dropped once parsed and never logged; only the parsed key lives on, in the key manager.
 */
public final class PemIdentity {
  private final PrivateKey privateKey;
  private final X509Certificate[] chain;
  private final X509Certificate leaf;

  private PemIdentity(PrivateKey privateKey, X509Certificate[] chain) {
    this.privateKey = privateKey;
    this.chain = chain.clone();
    this.leaf = chain[0];
  }

  /** Reads and checks both files (blocking: on a worker, at start and when rotating). */
  public static PemIdentity read(Path cert, Path key) throws TlsException {
    String certText = text(cert, "certificate");
    String keyText = text(key, "key");
    return parse(certText, keyText, cert);
  }

  /** The one-line problem with this pair, or null when it would serve: for the start-up check. */
  public static String problem(Path cert, Path key) {
    try {
      read(cert, key);
      return null;
    } catch (TlsException e) {
      return e.getMessage();
    }
  }

  private static String text(Path file, String what) throws TlsException {
    try {
      return Files.readString(file, StandardCharsets.ISO_8859_1);
    } catch (java.io.IOException | SecurityException e) {
      throw new TlsException("cannot read the " + what + " file " + file + ": " + e.getClass().getSimpleName());
    }
  }

  private static PemIdentity parse(String cert, String key, Path certFile) throws TlsException {
    X509Certificate[] chain;
    PrivateKey privateKey;
    try {
      chain = Pem.certificates(cert);
      privateKey = Pem.privateKey(key);
    } catch (GeneralSecurityException | RuntimeException e) {
      // the message of a PEM or ASN.1 failure names the structure, never the key's content
      throw new TlsException("not a PEM certificate chain and private key: " + e.getClass().getSimpleName());
    }
    requireMatch(privateKey, chain[0]);
    try {
      chain[0].checkValidity();
    } catch (CertificateExpiredException e) {
      throw new TlsException("the certificate " + certFile + " expired on " + chain[0].getNotAfter().toInstant());
    } catch (CertificateNotYetValidException e) {
      throw new TlsException("the certificate " + certFile + " is not valid before " + chain[0].getNotBefore().toInstant());
    }
    return new PemIdentity(privateKey, chain);
  }

  /** Signs a nonce with the key and verifies it with the certificate's public key. */
  private static void requireMatch(PrivateKey key, X509Certificate leaf) throws TlsException {
    String algorithm = switch (key.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      case "Ed25519", "EdDSA" -> "Ed25519";
      default -> null;
    };
    if (algorithm == null) {
      throw new TlsException("unsupported key type " + key.getAlgorithm() + " (RSA or ECDSA)");
    }
    try {
      byte[] nonce = new byte[32];
      new SecureRandom().nextBytes(nonce);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(nonce);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(leaf.getPublicKey());
      verifier.update(nonce);
      if (!verifier.verify(signature)) {
        throw new TlsException("the key does not match the certificate");
      }
    } catch (GeneralSecurityException e) {
      throw new TlsException("the key does not match the certificate");
    }
  }

  /** The leaf first, then its chain, as the file has them. */
  X509Certificate[] chain() {
    return chain;
  }

  PrivateKey privateKey() {
    return privateKey;
  }

  /** The leaf's DNS names (subjectAltName dNSName entries, lower case), in the certificate's order. */
  public List<String> dnsNames() {
    try {
      Collection<List<?>> names = leaf.getSubjectAlternativeNames();
      if (names == null) {
        return List.of();
      }
      // RFC 5280 §4.2.1.6: GeneralName type 2 is dNSName
      return names.stream().filter(n -> Integer.valueOf(2).equals(n.get(0)))
          .map(n -> String.valueOf(n.get(1)).toLowerCase(Locale.ROOT)).toList();
    } catch (java.security.cert.CertificateParsingException e) {
      return List.of();
    }
  }

  /**
   * Whether a client asking for {@code name} accepts this certificate. RFC 9525 §6.3: only DNS-IDs
   * of the subjectAltName count, never the CN; a {@code *.} DNS-ID covers exactly one first label.
   * A configured wildcard name is covered only by that same wildcard DNS-ID: a certificate naming
   * one host cannot serve every host under it.
   */
  public boolean covers(String name) {
    String wanted = name.toLowerCase(Locale.ROOT);
    List<String> names = dnsNames();
    if (names.contains(wanted)) {
      return true;
    }
    int dot = wanted.indexOf('.');
    return dot > 0 && names.contains("*" + wanted.substring(dot));
  }

  /**
   * Why this certificate cannot serve {@code names} (lower case, as configured), or null when it
   * covers each: every name SNI sends to it must be one its certificate is valid for, else the
   * clients that asked for it refuse the handshake (RFC 9525 §6.3).
   */
  public String uncovered(List<String> names, Path certFile) {
    List<String> missing = names.stream().filter(name -> !covers(name)).toList();
    if (missing.isEmpty()) {
      return null;
    }
    List<String> has = dnsNames();
    return "the certificate " + certFile + " does not cover " + missing.stream().map(n -> "\"" + n + "\"")
        .collect(java.util.stream.Collectors.joining(", ")) + " (its DNS names: "
        + (has.isEmpty() ? "none" : String.join(", ", has)) + ")";
  }

  /** When the leaf stops being valid: for the log line of a load. */
  public Date notAfter() {
    return leaf.getNotAfter();
  }
}
