package io.tollgate.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tollgate.TestTollgate;
import io.tollgate.tls.TestCertificates.Pair;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.net.http.HttpResponse;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * https backends (README, "TLS at the edge"): verified against a route's {@code tls.ca}, never trusted without
 * it, and a route's {@code tls.cert}/{@code key} presented to a backend that requires a client certificate.
 */
class BackendTlsTest {
  static Vertx vertx;
  static HttpServer backend;
  static HttpServer misnamed;
  static TestTollgate tollgate;

  @BeforeAll
  static void start() {
    TestCertificates backendCa = TestCertificates.create("Backend CA");
    TestCertificates clientCa = TestCertificates.create("Gateway Client CA");
    Pair server = backendCa.ec("backend", "backend.internal", "127.0.0.1");
    Pair client = clientCa.ec("gateway", "gateway.tollgate");
    vertx = Vertx.vertx();
    backend = vertx.createHttpServer(new HttpServerOptions().setSsl(true).setHost("127.0.0.1")
            .setKeyCertOptions(new PemKeyCertOptions().setCertPath(server.cert().toString()).setKeyPath(server.key().toString()))
            .setClientAuth(ClientAuth.REQUIRED)
            .setTrustOptions(new PemTrustOptions().addCertPath(clientCa.caCert().toString())))
        .requestHandler(request -> {
          String caller;
          try {
            caller = ((X509Certificate) request.connection().sslSession().getPeerCertificates()[0])
                .getSubjectX500Principal().getName();
          } catch (Exception e) {
            caller = "none";
          }
          request.response().putHeader("Content-Type", "text/plain").end("client " + caller);
        })
        .listen(0).await();
    Pair otherName = backendCa.ec("other", "other.internal");
    misnamed = vertx.createHttpServer(new HttpServerOptions().setSsl(true).setHost("127.0.0.1")
            .setKeyCertOptions(new PemKeyCertOptions().setCertPath(otherName.cert().toString())
                .setKeyPath(otherName.key().toString())))
        .requestHandler(request -> request.response().end("reached"))
        .listen(0).await();
    String url = "https://127.0.0.1:" + backend.actualPort();
    JsonObject withCa = new JsonObject().put("ca", backendCa.caCert().toString());
    JsonObject config = TestTollgate.config("backend_tls");
    config.put("routes", new JsonArray()
        .add(route("/mtls/", url).put("tls", withCa.copy().put("cert", client.cert().toString()).put("key", client.key().toString())))
        .add(route("/ca-only/", url).put("tls", withCa))
        .add(route("/system-trust/", url))
        .add(route("/wrong-name/", "https://127.0.0.1:" + misnamed.actualPort()).put("tls", withCa.copy())));
    tollgate = TestTollgate.start(config);
  }

  private static JsonObject route(String path, String url) {
    return new JsonObject().put("path", path).put("backends", new JsonArray().add(url)).put("public", true);
  }

  @AfterAll
  static void stop() {
    tollgate.close();
    vertx.close().await();
  }

  @Test
  void aPrivateCaAndAClientCertificateReachTheBackend() {
    HttpResponse<String> answer = tollgate.get("/mtls/orders");
    assertEquals(200, answer.statusCode(), answer.body());
    assertEquals("client CN=gateway.tollgate", answer.body());
  }

  @Test
  void withoutTheClientCertificateTheBackendRefuses() {
    HttpResponse<String> answer = tollgate.get("/ca-only/orders");
    assertEquals(502, answer.statusCode(), answer.body());
  }

  @Test
  void aCertificateForAnotherNameIsRefusedThoughItsCaIsTrusted() {
    HttpResponse<String> answer = tollgate.get("/wrong-name/orders");
    assertEquals(502, answer.statusCode(), "RFC 9110 §4.3.4: the host name is verified: " + answer.body());
  }

  @Test
  void aPrivateCaIsNotTrustedByTheSystemStore() {
    HttpResponse<String> answer = tollgate.get("/system-trust/orders");
    assertEquals(502, answer.statusCode(), answer.body());
    assertTrue(answer.body().contains("error"), answer.body());
  }
}
