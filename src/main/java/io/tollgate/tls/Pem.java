package io.tollgate.tls;

import io.vertx.core.net.impl.pkcs1.PrivateKeyParser;
import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PEM (RFC 7468) certificate chains and private keys, decoded straight into their Java objects.
 * Not through a {@link java.security.KeyStore}, as Vert.x's {@code PemKeyCertOptions} does: its
 * PKCS#12 store encrypts and decrypts each key with PBKDF2 several times over, tens of milliseconds
 * a pair for nothing, since the key never leaves memory. The key formats are the ones Vert.x reads
 * (PKCS#8, PKCS#1 RSA, SEC 1 EC), with its own ASN.1 parsers.
 */
final class Pem {
  private static final Pattern BLOCK = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([^-]*)-----END \\1-----");

  private Pem() {}

  /** Every CERTIFICATE block, in the file's order: the leaf first, then its chain. */
  static X509Certificate[] certificates(String pem) throws GeneralSecurityException {
    CertificateFactory factory = CertificateFactory.getInstance("X.509");
    List<X509Certificate> chain = new ArrayList<>();
    Matcher block = BLOCK.matcher(pem);
    while (block.find()) {
      if (block.group(1).equals("CERTIFICATE")) {
        chain.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der(block))));
      }
    }
    if (chain.isEmpty()) {
      throw new GeneralSecurityException("no CERTIFICATE block");
    }
    return chain.toArray(X509Certificate[]::new);
  }

  /** The first private key block: PKCS#8 (PRIVATE KEY), PKCS#1 (RSA PRIVATE KEY) or SEC 1 (EC PRIVATE KEY). */
  static PrivateKey privateKey(String pem) throws GeneralSecurityException {
    Matcher block = BLOCK.matcher(pem);
    while (block.find()) {
      switch (block.group(1)) {
        case "PRIVATE KEY" -> {
          byte[] der = der(block);
          String algorithm = PrivateKeyParser.getPKCS8EncodedKeyAlgorithm(der);
          return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
        }
        case "RSA PRIVATE KEY" -> {
          return KeyFactory.getInstance("RSA").generatePrivate(PrivateKeyParser.getRSAKeySpec(der(block)));
        }
        case "EC PRIVATE KEY" -> {
          return KeyFactory.getInstance("EC").generatePrivate(PrivateKeyParser.getECKeySpec(der(block)));
        }
        default -> { }
      }
    }
    throw new GeneralSecurityException("no PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY block");
  }

  private static byte[] der(Matcher block) {
    return Base64.getDecoder().decode(block.group(2).replaceAll("\\s", ""));
  }
}
