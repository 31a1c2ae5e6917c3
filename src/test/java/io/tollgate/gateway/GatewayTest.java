package io.tollgate.gateway;

import static io.tollgate.TestTollgate.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tollgate.RawHttp;
import io.tollgate.RefusingPort;
import io.tollgate.TestTollgate;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The gateway against a real backend that echoes what it received. */
class GatewayTest {
  static Vertx backendVertx;
  static HttpServer backend;
  static int deadPort;
  static TestTollgate tollgate;
  static String profileToken;
  static String ordersToken;

  @BeforeAll
  static void start() throws Exception {
    backendVertx = Vertx.vertx();
    backend = backendVertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      JsonObject headers = new JsonObject();
      req.headers().forEach(h -> headers.put(h.getKey().toLowerCase(), h.getValue()));
      if (req.path().contains("hop")) { // hop-by-hop headers of the backend's own connection
        req.response().putHeader("Keep-Alive", "timeout=5").putHeader("Proxy-Authenticate", "Basic")
            .putHeader("X-End-To-End", "kept");
      }
      req.response().putHeader("Content-Type", "application/json").end(new JsonObject()
          .put("method", req.method().name()).put("uri", req.uri()).put("headers", headers)
          .put("body", body.toString()).encode());
    })).listen(0, "127.0.0.1").await();
    deadPort = RefusingPort.take().port();
    String url = "http://127.0.0.1:" + backend.actualPort();
    JsonObject config = TestTollgate.config("gateway");
    config.put("routes", new JsonArray()
        .add(new JsonObject().put("hosts", new JsonArray().add("api.profix-it.nl").add("*.profix-it.be"))
            .put("path", "/v1/orders/").put("backends", new JsonArray().add(url)).put("scopes", new JsonArray().add("orders")))
        .add(new JsonObject().put("hosts", new JsonArray().add("*")).put("path", "/echo/")
            .put("backends", new JsonArray().add(url)).put("scopes", new JsonArray().add("profile")).put("stripPrefix", true))
        .add(new JsonObject().put("path", "/orders/").put("backends", new JsonArray().add(url))
            .put("scopes", new JsonArray().add("orders").add("profile")))
        .add(new JsonObject().put("path", "/public/").put("public", true).put("backends", new JsonArray().add(url)))
        .add(new JsonObject().put("path", "/dead/").put("backends", new JsonArray().add("http://127.0.0.1:" + deadPort))));
    tollgate = TestTollgate.start(config);
    profileToken = json(tollgate.postForm("/token", "s6BhdRkqt3:gX1fBat3bV", "grant_type", "client_credentials"))
        .getString("access_token");
    ordersToken = json(tollgate.postForm("/token", "b81cc4de-d192-400e-bcb4-09254394c52a:n3G7KAhcv8OH",
        "grant_type", "password", "username", "demo@profix-it.nl", "password", "demo-password"))
        .getString("access_token");
  }

  @AfterAll
  static void stop() {
    tollgate.close();
    backendVertx.close().await();
  }

  private static HttpResponse<String> call(String path, String bearer, String... headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(tollgate.uri(path));
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    for (int i = 0; i + 1 < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return tollgate.send(request.build());
  }

  @Test
  void aValidTokenInTheHeaderReachesTheBackendWithItsIdentity() {
    HttpResponse<String> response = call("/echo/hello?x=1", profileToken);
    assertEquals(200, response.statusCode(), response.body());
    JsonObject seen = json(response);
    assertEquals("/hello?x=1", seen.getString("uri"), "stripPrefix");
    JsonObject headers = seen.getJsonObject("headers");
    assertEquals("s6BhdRkqt3", headers.getString("x-auth-subject"));
    assertEquals("s6BhdRkqt3", headers.getString("x-auth-client-id"));
    assertEquals("profile", headers.getString("x-auth-scope"));
    assertEquals("127.0.0.1", headers.getString("x-forwarded-for"));
    assertEquals("http", headers.getString("x-forwarded-proto"));
  }

  @Test
  void theQueryTokenWorksAndNeverReachesTheBackend() {
    HttpResponse<String> response = call("/echo/q?a=1&_bearer_token=" + profileToken + "&b=2", null);
    assertEquals(200, response.statusCode(), response.body());
    String uri = json(response).getString("uri");
    assertEquals("/q?a=1&b=2", uri);
    assertFalse(response.body().contains(profileToken));
  }

  @Test
  void bothTokenFormsAtOnceAreInvalidRequest() {
    HttpResponse<String> response = call("/echo/x?_bearer_token=" + profileToken, profileToken);
    assertEquals(400, response.statusCode());
    assertEquals("invalid_request", json(response).getString("error"));
  }

  @Test
  void spoofedIdentityHeadersAreDropped() {
    JsonObject headers = json(call("/echo/x", profileToken, "X-Auth-Subject", "admin",
        "X-Auth-Scope", "admin")).getJsonObject("headers");
    assertEquals("s6BhdRkqt3", headers.getString("x-auth-subject"));
    assertEquals("profile", headers.getString("x-auth-scope"));
    JsonObject publicHeaders = json(call("/public/x", null, "X-Auth-Subject", "admin")).getJsonObject("headers");
    assertFalse(publicHeaders.containsKey("x-auth-subject"));
  }

  @Test
  void hopByHopHeadersStopAtTheGatewayInBothDirections() {
    RawHttp.Answer answer = RawHttp.exchange(tollgate.port(), "GET /echo/hop HTTP/1.1\r\nHost: api.profix-it.nl\r\n"
        + "Authorization: Bearer " + profileToken + "\r\nConnection: close\r\nConnection: X-Secret-Hop\r\nX-Secret-Hop: 1\r\n"
        + "keep-alive: timeout=5\r\nProxy-Authorization: Basic c2VjcmV0\r\nTE: trailers\r\n"
        + "x-forwarded-for: 6.6.6.6\r\nX-FORWARDED-HOST: evil.example\r\nx-auth-client-id: evil\r\n"
        + "X-End-To-End: passed\r\n\r\n");
    assertEquals(200, answer.status(), answer.text());
    JsonObject headers = new JsonObject(answer.body()).getJsonObject("headers");
    for (String hop : List.of("x-secret-hop", "keep-alive", "proxy-authorization", "te")) {
      assertFalse(headers.containsKey(hop), hop + " reached the backend: " + headers);
    }
    assertEquals("passed", headers.getString("x-end-to-end"));
    assertEquals("127.0.0.1", headers.getString("x-forwarded-for"), "the caller's own value is dropped, any case");
    assertEquals("api.profix-it.nl", headers.getString("x-forwarded-host"));
    assertEquals("s6BhdRkqt3", headers.getString("x-auth-client-id"));
    String head = answer.text().substring(0, answer.text().indexOf("\r\n\r\n")).toLowerCase();
    assertFalse(head.contains("keep-alive: timeout") || head.contains("proxy-authenticate"), head);
    assertTrue(head.contains("x-end-to-end: kept"), head);
  }

  @Test
  void missingBadAndInsufficientTokensAreRfc6750Answers() {
    HttpResponse<String> missing = call("/echo/x", null);
    assertEquals(401, missing.statusCode());
    assertEquals("Bearer realm=\"tollgate\"", missing.headers().firstValue("WWW-Authenticate").orElse(""));

    HttpResponse<String> bad = call("/echo/x", profileToken.substring(0, profileToken.length() - 4) + "AAAA");
    assertEquals(401, bad.statusCode());
    assertTrue(bad.headers().firstValue("WWW-Authenticate").orElse("").contains("error=\"invalid_token\""));

    for (String traversal : new String[] {"/public/../echo/x", "/public/%2e%2e/echo/x", "/public/..%2fecho/x"}) {
      HttpResponse<String> denied = call(traversal, null);
      assertEquals(400, denied.statusCode(), "no traversal into a private route: " + traversal);
    }
  }

  @Test
  void aTokenWithoutTheRoutesScopeIsForbidden() {
    HttpResponse<String> denied = call("/orders/1", profileToken);
    assertEquals(403, denied.statusCode());
    assertEquals("Bearer realm=\"tollgate\", error=\"insufficient_scope\", scope=\"orders profile\"",
        denied.headers().firstValue("WWW-Authenticate").orElse(""));
    assertEquals(200, call("/orders/1", ordersToken).statusCode(), "a token with every scope passes");
    // the orders route is only for api.profix-it.nl / *.profix-it.be: from 127.0.0.1 it does not match
    assertEquals(404, call("/v1/orders/1", ordersToken).statusCode());
    JsonObject echo = json(call("/echo/x", ordersToken));
    assertEquals("456", echo.getJsonObject("headers").getString("x-auth-subject"));
  }

  @Test
  void noRouteIs404Json() {
    HttpResponse<String> response = call("/nothing-here", profileToken);
    assertEquals(404, response.statusCode());
    assertEquals("not_found", json(response).getString("error"));
  }

  @Test
  void anUnreachableBackendIs502Json() {
    HttpResponse<String> response = call("/dead/x", profileToken);
    assertEquals(502, response.statusCode());
    assertEquals("bad_gateway", json(response).getString("error"));
    assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
  }

  @Test
  void postBodiesPassThrough() {
    HttpResponse<String> response = tollgate.send(HttpRequest.newBuilder(tollgate.uri("/echo/post"))
        .header("Authorization", "Bearer " + profileToken)
        .POST(HttpRequest.BodyPublishers.ofString("{\"order\":42}")).build());
    assertEquals(200, response.statusCode());
    assertEquals("{\"order\":42}", json(response).getString("body"));
    assertEquals("POST", json(response).getString("method"));
  }
}
