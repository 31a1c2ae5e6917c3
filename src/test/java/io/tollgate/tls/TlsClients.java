package io.tollgate.tls;

import java.net.Socket;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509TrustManager;

/** Real TLS handshakes from the JDK's client, to see what a listener serves. */
final class TlsClients {
  private TlsClients() {}

  /** Connects with {@code sni} (null: none) and returns the leaf certificate served; trusts anything. */
  static X509Certificate served(int port, String sni) throws Exception {
    try (SSLSocket socket = handshake(port, sni, null)) {
      return (X509Certificate) socket.getSession().getPeerCertificates()[0];
    }
  }

  /** An open, handshaken socket; {@code protocol} (e.g. "TLSv1.1") restricts what the client offers. */
  static SSLSocket handshake(int port, String sni, String protocol) throws Exception {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, new javax.net.ssl.TrustManager[] {new X509TrustManager() {
      public void checkClientTrusted(X509Certificate[] chain, String auth) {}
      public void checkServerTrusted(X509Certificate[] chain, String auth) {}
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    }}, null);
    Socket plain = new Socket("127.0.0.1", port);
    SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, "127.0.0.1", port, true);
    socket.setSoTimeout(10_000);
    SSLParameters parameters = socket.getSSLParameters();
    parameters.setServerNames(sni == null ? List.of() : List.of(new SNIHostName(sni)));
    if (protocol != null) {
      parameters.setProtocols(new String[] {protocol});
    }
    socket.setSSLParameters(parameters);
    socket.startHandshake();
    return socket;
  }

  /** What {@code openssl s_client} says, with its exit status first: "0\n..." when the handshake worked. */
  static String sClient(int port, String... options) throws Exception {
    java.util.List<String> command = new java.util.ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port));
    command.addAll(List.of(options));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    process.waitFor();
    return process.exitValue() + "\n" + output;
  }

  /** {@code s_client} sending one request with Connection: close and reading the answer to the end. */
  static String sClientWithRequest(int port, String... options) throws Exception {
    java.util.List<String> command = new java.util.ArrayList<>(List.of("openssl", "s_client", "-connect",
        "127.0.0.1:" + port, "-ign_eof"));
    command.addAll(List.of(options));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getOutputStream().write("GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
        .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    process.waitFor();
    return process.exitValue() + "\n" + output;
  }

  /** The DNS names of a certificate. */
  static List<String> names(X509Certificate certificate) throws Exception {
    return certificate.getSubjectAlternativeNames().stream().map(san -> san.get(1).toString()).toList();
  }
}
