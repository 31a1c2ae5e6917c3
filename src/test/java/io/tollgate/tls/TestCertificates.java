package io.tollgate.tls;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** A private CA and certificates it signs, made with the openssl command line at test time. */
public final class TestCertificates {
  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());
  private final Path dir;

  /** A leaf certificate (followed by the CA: a PEM chain) and its key. */
  public record Pair(Path cert, Path key) {}

  private TestCertificates(Path dir) {
    this.dir = dir;
  }

  public static TestCertificates create(String caName) {
    try {
      TestCertificates ca = new TestCertificates(Files.createTempDirectory("tollgate-certs"));
      ca.openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
          "-keyout", "ca.key", "-out", "ca.crt", "-subj", "/CN=" + caName, "-days", "2",
          "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign");
      return ca;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Path dir() {
    return dir;
  }

  public Path caCert() {
    return dir.resolve("ca.crt");
  }

  /** A certificate for {@code names} (DNS SANs; the first is the CN) with an ECDSA P-256 key. */
  public Pair ec(String file, String... names) {
    return leaf(file, List.of("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"), names);
  }

  /** The same with an RSA 2048 key. */
  public Pair rsa(String file, String... names) {
    return leaf(file, List.of("-newkey", "rsa:2048"), names);
  }

  private Pair leaf(String file, List<String> keyOptions, String... names) {
    try {
      List<String> req = new ArrayList<>(List.of("req", "-new", "-nodes", "-keyout", file + ".key", "-out", file + ".csr",
          "-subj", "/CN=" + names[0]));
      req.addAll(1, keyOptions);
      openssl(req.toArray(String[]::new));
      StringBuilder san = new StringBuilder("subjectAltName=");
      for (int i = 0; i < names.length; i++) {
        san.append(i == 0 ? "" : ",").append(names[i].matches("[0-9.]+") ? "IP:" : "DNS:").append(names[i]);
      }
      Files.writeString(dir.resolve(file + ".ext"), san + "\nextendedKeyUsage=serverAuth,clientAuth\n");
      openssl("x509", "-req", "-in", file + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key",
          "-set_serial", Long.toString(SERIAL.incrementAndGet()), "-days", "2", "-extfile", file + ".ext",
          "-out", file + ".leaf");
      Files.writeString(dir.resolve(file + ".crt"), Files.readString(dir.resolve(file + ".leaf")) + Files.readString(caCert()));
      return new Pair(dir.resolve(file + ".crt"), dir.resolve(file + ".key"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A self-signed certificate whose validity ended yesterday (keytool can back-date; openssl 3.0 cannot). */
  public Pair expired(String file, String name) {
    try {
      Path store = dir.resolve(file + ".p12");
      run(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair", "-alias", "x",
          "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + name, "-startdate", "-3d", "-validity", "1",
          "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", "changeit"));
      KeyStore keys = KeyStore.getInstance("PKCS12");
      try (InputStream in = new FileInputStream(store.toFile())) {
        keys.load(in, "changeit".toCharArray());
      }
      Files.writeString(dir.resolve(file + ".key"), pem("PRIVATE KEY", keys.getKey("x", "changeit".toCharArray()).getEncoded()));
      Files.writeString(dir.resolve(file + ".crt"), pem("CERTIFICATE", keys.getCertificate("x").getEncoded()));
      return new Pair(dir.resolve(file + ".crt"), dir.resolve(file + ".key"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A client context that trusts this CA only. */
  public SSLContext trustingContext() {
    try {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      try (InputStream in = Files.newInputStream(caCert())) {
        trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
      }
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, factory.getTrustManagers(), null);
      return context;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The first certificate of a PEM file. */
  public static X509Certificate certificate(Path pem) {
    try (InputStream in = Files.newInputStream(pem)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(der) + "\n-----END " + type + "-----\n";
  }

  private void openssl(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    run(command);
  }

  private void run(List<String> command) throws IOException {
    Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException(command + " failed: " + output);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
