package io.tollgate.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.tollgate.config.ConfigLoader;
import io.tollgate.config.TollgateConfig;
import io.tollgate.tls.TestCertificates.Pair;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.SSLEngineOptions;
import io.vertx.core.spi.tls.SslContextFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The certificate chosen by SNI costs no TLS context per name a caller sends: many random names
 * under a {@code *.} entry each get that entry's certificate, and the listener builds one context
 * for all of them (Vert.x's own SNI would build and keep one per name), on either engine.
 */
class SniContextsTest {
  static Vertx vertx;
  static TestCertificates ca;
  static Pair fallback;
  static Pair nl;
  static Pair be;
  static TollgateConfig.Tls tls;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    ca = TestCertificates.create("SNI CA");
    fallback = ca.ec("default", "localhost");
    nl = ca.ec("nl", "api.profix-it.nl");
    be = ca.rsa("be", "api.profix-it.be", "*.profix-it.be");
    JsonObject json = new JsonObject().put("cert", fallback.cert().toString()).put("key", fallback.key().toString())
        .put("hosts", new JsonArray()
            .add(new JsonObject().put("names", new JsonArray().add("api.profix-it.nl"))
                .put("cert", nl.cert().toString()).put("key", nl.key().toString()))
            .add(new JsonObject().put("names", new JsonArray().add("api.profix-it.be").add("*.profix-it.be"))
                .put("cert", be.cert().toString()).put("key", be.key().toString())));
    tls = ConfigLoader.parse(new JsonObject().put("http", new JsonObject().put("tls", json))).http().tls();
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  @Test
  void randomNamesUnderAWildcardShareOneContextOnTheJdkEngine() throws Exception {
    assertOneContextForAllNames(new CountingJdk(new AtomicInteger()));
  }

  @Test
  void randomNamesUnderAWildcardShareOneContextOnTheOpenSslEngine() throws Exception {
    Assumptions.assumeTrue(OpenSSLEngineOptions.isAvailable(), "netty-tcnative does not load here");
    assertOneContextForAllNames(new CountingOpenSsl(new AtomicInteger()));
  }

  private static void assertOneContextForAllNames(Counting engine) throws Exception {
    HttpServer server = vertx.createHttpServer(ServerTls.apply(new HttpServerOptions().setHost("127.0.0.1").setPort(0),
        tls, ServerTls.read(tls), (SSLEngineOptions) engine)).requestHandler(r -> r.response().end("ok"));
    int port = server.listen().await().actualPort();
    try {
      X509Certificate wildcard = TestCertificates.certificate(be.cert());
      for (int i = 0; i < 40; i++) {
        String name = "x" + UUID.randomUUID().toString().replace("-", "") + ".profix-it.be";
        assertEquals(wildcard, TlsClients.served(port, name), name);
      }
      assertEquals(TestCertificates.certificate(nl.cert()), TlsClients.served(port, "api.profix-it.nl"));
      assertEquals(wildcard, TlsClients.served(port, "API.Profix-IT.be"));
      assertEquals(TestCertificates.certificate(fallback.cert()), TlsClients.served(port, "a.b.profix-it.be"));
      assertEquals(TestCertificates.certificate(fallback.cert()), TlsClients.served(port, null));
      assertTrue(engine.contexts().get() <= 1, "contexts built for 44 names: " + engine.contexts().get());
    } finally {
      server.close().await();
    }
  }

  /** An engine that counts the server contexts Vert.x builds with it; its copies count into the same. */
  interface Counting {
    AtomicInteger contexts();
  }

  static final class CountingJdk extends JdkSSLEngineOptions implements Counting {
    private final AtomicInteger contexts;

    CountingJdk(AtomicInteger contexts) {
      this.contexts = contexts;
    }

    public AtomicInteger contexts() {
      return contexts;
    }

    @Override
    public JdkSSLEngineOptions copy() {
      return new CountingJdk(contexts);
    }

    @Override
    public SslContextFactory sslContextFactory() {
      return new CountingFactory(super.sslContextFactory(), contexts);
    }
  }

  static final class CountingOpenSsl extends OpenSSLEngineOptions implements Counting {
    private final AtomicInteger contexts;

    CountingOpenSsl(AtomicInteger contexts) {
      this.contexts = contexts;
    }

    public AtomicInteger contexts() {
      return contexts;
    }

    @Override
    public OpenSSLEngineOptions copy() {
      return new CountingOpenSsl(contexts);
    }

    @Override
    public SslContextFactory sslContextFactory() {
      return new CountingFactory(super.sslContextFactory(), contexts);
    }
  }

  /** Vert.x's factory, counting what it creates. */
  private record CountingFactory(SslContextFactory delegate, AtomicInteger contexts) implements SslContextFactory {
    @Override
    public SslContext create() throws SSLException {
      contexts.incrementAndGet();
      return delegate.create();
    }

    @Override
    public SslContextFactory useAlpn(boolean useAlpn) {
      delegate.useAlpn(useAlpn);
      return this;
    }

    @Override
    public SslContextFactory clientAuth(ClientAuth clientAuth) {
      delegate.clientAuth(clientAuth);
      return this;
    }

    @Override
    public SslContextFactory forClient(boolean forClient) {
      delegate.forClient(forClient);
      return this;
    }

    @Override
    public SslContextFactory keyMananagerFactory(KeyManagerFactory kmf) {
      delegate.keyMananagerFactory(kmf);
      return this;
    }

    @Override
    public SslContextFactory trustManagerFactory(TrustManagerFactory tmf) {
      delegate.trustManagerFactory(tmf);
      return this;
    }

    @Override
    public SslContextFactory enabledCipherSuites(Set<String> enabledCipherSuites) {
      delegate.enabledCipherSuites(enabledCipherSuites);
      return this;
    }

    @Override
    public SslContextFactory applicationProtocols(List<String> applicationProtocols) {
      delegate.applicationProtocols(applicationProtocols);
      return this;
    }

    @Override
    public SslContextFactory serverName(String serverName) {
      delegate.serverName(serverName);
      return this;
    }
  }
}
