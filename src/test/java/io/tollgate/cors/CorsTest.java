package io.tollgate.cors;

import static io.tollgate.TestTollgate.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tollgate.RecordingBackend;
import io.tollgate.TestTollgate;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * README "Browsers (CORS)", header by header, against a real Tollgate, a real PostgreSQL and backends that record
 * the exact bytes they receive: the token service's preflights (any registered origin) and answers
 * (only the authenticated client's origins), metadata and keys for every origin, and a route's
 * {@code cors} answered by the gateway without a token and never forwarded.
 */
class CorsTest {
  static final String APP = "http://app.test";
  static final String SPA = "https://spa.example"; // spa-public's, in the shipped bootstrap
  static final String PORTAL = "s6BhdRkqt3:gX1fBat3bV"; // no webOrigins
  static RecordingBackend backend;
  static RecordingBackend corsMinded;
  static TestTollgate tollgate;
  static String token;
  static String webSecret;

  @BeforeAll
  static void start() {
    backend = new RecordingBackend();
    // a backend with CORS opinions of its own, wider than any route's
    corsMinded = new RecordingBackend("Access-Control-Allow-Origin: *\r\nAccess-Control-Allow-Credentials: true\r\n"
        + "Vary: Accept-Encoding\r\nAccess-Control-Expose-Headers: X-Total\r\n");
    JsonObject cors = new JsonObject().put("origins", new JsonArray().add(APP).add("http://localhost:5173"))
        .put("methods", new JsonArray().add("GET").add("PUT")).put("maxAge", 300)
        .put("headers", new JsonArray().add("Authorization").add("Content-Type").add("X-Trace"));
    JsonObject config = TestTollgate.config("cors").put("routes", new JsonArray()
        .add(route("/api/", backend, false).put("cors", cors))
        .add(route("/plain/", backend, false))
        .add(route("/open/", backend, true))
        .add(route("/minded/", corsMinded, true).put("cors", cors))
        .add(route("/minded-plain/", corsMinded, true)));
    tollgate = TestTollgate.start(config);
    token = json(tollgate.postForm("/token", PORTAL, "grant_type", "client_credentials")).getString("access_token");
    String admin = json(tollgate.postForm("/token", "admin-cli:admin-cli-secret", "grant_type", "password",
        "username", "admin@profix-it.nl", "password", "admin-password", "scope", "admin")).getString("access_token");
    HttpResponse<String> created = adminCall("POST", "/admin/clients", admin, new JsonObject().put("id", "web-cc")
        .put("grant", "client_credentials").put("scopes", new JsonArray().add("profile"))
        .put("webOrigins", new JsonArray().add("https://conf.example")));
    assertEquals(201, created.statusCode(), created.body());
    webSecret = json(created).getString("secret");
  }

  @AfterAll
  static void stop() {
    tollgate.close();
    backend.close();
    corsMinded.close();
  }

  @BeforeEach
  void forget() {
    backend.clear();
    corsMinded.clear();
  }

  static JsonObject route(String path, RecordingBackend to, boolean isPublic) {
    return new JsonObject().put("path", path).put("backends", new JsonArray().add(to.url()))
        .put("scopes", new JsonArray().add("profile")).put("public", isPublic);
  }

  // --- the token service ---

  @Test
  void theTokenServiceAnswersPreflightsFromAnyOriginSomeClientRegistered() {
    for (String path : List.of("/token", "/token/revoke", "/token/introspect", "/oauth2/token")) {
      for (String origin : List.of(SPA, "https://conf.example")) {
        HttpResponse<String> ok = preflight(path, origin, "POST", "authorization,content-type");
        assertEquals(204, ok.statusCode(), path + " " + ok.body());
        assertEquals(origin, header(ok, "Access-Control-Allow-Origin"));
        assertEquals("POST", header(ok, "Access-Control-Allow-Methods"));
        assertEquals("Authorization, Content-Type", header(ok, "Access-Control-Allow-Headers"));
        assertEquals("600", header(ok, "Access-Control-Max-Age"));
        assertEquals(null, header(ok, "Access-Control-Allow-Credentials"), "never credentials mode");
        assertTrue(header(ok, "Vary").contains("Origin"));
      }
      refused(preflight(path, "https://evil.example", "POST", null), path + ": nobody registered it");
      refused(preflight(path, SPA, "PUT", null), path + ": only POST");
      refused(preflight(path, SPA, "POST", "x-custom"), path + ": only Authorization and Content-Type");
    }
    // an OPTIONS that is not a preflight is what it was: 405 with Allow
    HttpResponse<String> options = tollgate.send(HttpRequest.newBuilder(tollgate.uri("/token"))
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", SPA).build());
    assertEquals(405, options.statusCode());
    noAllowHeaders(options);
  }

  @Test
  void aPublicClientsAnswersAreReadableByItsOwnOriginOnly() {
    // spa-public authenticates by its client_id alone: its error answers are readable by its page
    HttpResponse<String> ownPage = token(SPA, null, "grant_type", "authorization_code", "client_id", "spa-public",
        "code", "not-a-code", "code_verifier", "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
    assertEquals(400, ownPage.statusCode());
    assertEquals("invalid_grant", json(ownPage).getString("error"));
    assertEquals(SPA, header(ownPage, "Access-Control-Allow-Origin"));
    assertEquals("Origin", header(ownPage, "Vary"));
    assertEquals(null, header(ownPage, "Access-Control-Allow-Credentials"));

    // the origin another client registered is not this client's
    HttpResponse<String> otherPage = token("https://conf.example", null, "grant_type", "authorization_code",
        "client_id", "spa-public", "code", "not-a-code", "code_verifier", "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
    assertEquals(400, otherPage.statusCode());
    noAllowHeaders(otherPage);
    assertEquals("Origin", header(otherPage, "Vary"), "the answer depends on the Origin, for caches");

    // a client without webOrigins: success, readable by no page
    HttpResponse<String> portal = token(SPA, PORTAL, "grant_type", "client_credentials");
    assertEquals(200, portal.statusCode());
    noAllowHeaders(portal);
  }

  @Test
  void aConfidentialClientsSuccessAndErrorAnswersCarryItsOriginAndAFailedAuthenticationNone() {
    String basic = "web-cc:" + webSecret;
    HttpResponse<String> issued = token("https://conf.example", basic, "grant_type", "client_credentials");
    assertEquals(200, issued.statusCode(), issued.body());
    assertEquals("https://conf.example", header(issued, "Access-Control-Allow-Origin"));
    assertEquals("Origin", header(issued, "Vary"));
    String access = json(issued).getString("access_token");

    HttpResponse<String> badScope = token("https://conf.example", basic, "grant_type", "client_credentials",
        "scope", "admin");
    assertEquals("invalid_scope", json(badScope).getString("error"));
    assertEquals("https://conf.example", header(badScope, "Access-Control-Allow-Origin"));

    HttpResponse<String> wrongSecret = token("https://conf.example", "web-cc:wrong", "grant_type", "client_credentials");
    assertEquals(401, wrongSecret.statusCode());
    noAllowHeaders(wrongSecret);
    noAllowHeaders(token(SPA, basic, "grant_type", "client_credentials"));

    HttpResponse<String> introspected = form("/token/introspect", "https://conf.example", basic, "token", access);
    assertEquals(200, introspected.statusCode());
    assertTrue(json(introspected).getBoolean("active"));
    assertEquals("https://conf.example", header(introspected, "Access-Control-Allow-Origin"));
    noAllowHeaders(form("/token/introspect", "https://evil.example", basic, "token", access));

    HttpResponse<String> revoked = form("/token/revoke", "https://conf.example", basic, "token", access);
    assertEquals(200, revoked.statusCode());
    assertEquals("https://conf.example", header(revoked, "Access-Control-Allow-Origin"));
    assertEquals("Origin", header(revoked, "Vary"));
  }

  @Test
  void theAdminApiValidatesReadsAndUpdatesWebOriginsAndPreflightsFollowAtOnce() {
    String admin = json(tollgate.postForm("/token", "admin-cli:admin-cli-secret", "grant_type", "password",
        "username", "admin@profix-it.nl", "password", "admin-password", "scope", "admin")).getString("access_token");
    for (String bad : List.of("https://x.example/", "https://*.example", "*", "ftp://x.example", "https://x.example/app",
        "https://X.example", "https://x.example:443", "https://x.example?q", "x.example", "https://user@x.example")) {
      HttpResponse<String> refused = adminCall("POST", "/admin/clients", admin, new JsonObject().put("id", "bad-origin")
          .put("grant", "client_credentials").put("webOrigins", new JsonArray().add(bad)));
      assertEquals(400, refused.statusCode(), bad);
      assertTrue(json(refused).getString("error_description").startsWith("field 'webOrigins'"), refused.body());
    }
    JsonObject spa = new JsonObject().put("grant", "authorization_code").put("public", true)
        .put("scopes", new JsonArray().add("profile")).put("redirectUris", new JsonArray().add("https://later.example/cb"))
        .put("webOrigins", new JsonArray().add("https://later.example").add("http://localhost:8081"));
    assertEquals(201, adminCall("POST", "/admin/clients", admin, spa.copy().put("id", "later-spa")).statusCode());
    assertEquals(new JsonArray().add("https://later.example").add("http://localhost:8081"),
        json(adminCall("GET", "/admin/clients/later-spa", admin, null)).getJsonArray("webOrigins"));
    assertTrue(eventually(() -> preflight("/token", "https://later.example", "POST", null).statusCode() == 204));

    spa.put("webOrigins", new JsonArray().add("https://moved.example"));
    HttpResponse<String> updated = adminCall("PUT", "/admin/clients/later-spa", admin, spa);
    assertEquals(200, updated.statusCode(), updated.body());
    assertEquals(new JsonArray().add("https://moved.example"), json(updated).getJsonArray("webOrigins"));
    assertTrue(eventually(() -> preflight("/token", "https://moved.example", "POST", null).statusCode() == 204));
    assertTrue(eventually(() -> preflight("/token", "https://later.example", "POST", null).statusCode() == 403),
        "an origin no client registers any more is refused");
    assertEquals("https://moved.example", header(token("https://moved.example", null, "grant_type",
        "authorization_code", "client_id", "later-spa", "code", "x", "code_verifier", "y"), "Access-Control-Allow-Origin"));
  }

  @Test
  void metadataAndKeysAreReadableByEveryOrigin() {
    for (String path : List.of("/.well-known/oauth-authorization-server", "/.well-known/jwks.json")) {
      HttpResponse<String> got = tollgate.send(HttpRequest.newBuilder(tollgate.uri(path))
          .header("Origin", "https://anyone.example").build());
      assertEquals(200, got.statusCode());
      assertEquals("*", header(got, "Access-Control-Allow-Origin"));
      assertEquals(null, header(got, "Access-Control-Allow-Credentials"));
      HttpResponse<String> ok = preflight(path, "https://anyone.example", "GET", null);
      assertEquals(204, ok.statusCode(), path);
      assertEquals("*", header(ok, "Access-Control-Allow-Origin"));
      assertEquals("GET", header(ok, "Access-Control-Allow-Methods"));
      assertEquals("*", header(tollgate.get(path), "Access-Control-Allow-Origin"), "also without an Origin");
    }
  }

  // --- the gateway ---

  @Test
  void aRoutesPreflightIsAnsweredByTheGatewayWithoutATokenAndNeverForwarded() {
    HttpResponse<String> ok = preflight("/api/orders/7", APP, "PUT", "authorization,content-type,x-trace");
    assertEquals(204, ok.statusCode(), ok.body());
    assertEquals(APP, header(ok, "Access-Control-Allow-Origin"));
    assertEquals("GET, PUT", header(ok, "Access-Control-Allow-Methods"));
    assertEquals("Authorization, Content-Type, X-Trace", header(ok, "Access-Control-Allow-Headers"));
    assertEquals("300", header(ok, "Access-Control-Max-Age"));
    assertEquals(null, header(ok, "Access-Control-Allow-Credentials"));
    assertTrue(header(ok, "Vary").startsWith("Origin"));
    assertEquals("", ok.body());
    assertEquals(204, preflight("/api/x", "http://localhost:5173", "GET", null).statusCode());

    HttpResponse<String> foreign = preflight("/api/orders/7", "https://evil.example", "PUT", "authorization");
    refused(foreign, "an origin the route does not list");
    assertTrue(json(foreign).getString("error_description").contains("https://evil.example"));
    refused(preflight("/api/orders/7", APP, "DELETE", "authorization"), "a method the route does not list");
    refused(preflight("/api/orders/7", APP, "PUT", "authorization,x-other"), "a header the route does not list");
    refused(preflight("/api/orders/7", "null", "GET", null), "an opaque origin");
    assertEquals(List.of(), backend.received(), "no preflight reached the backend");
  }

  @Test
  void proxiedAnswersCarryAllowOriginOnlyForAnAllowedOriginAndTheGatewaysOwnErrorsToo() {
    HttpResponse<String> allowed = api("/api/orders", APP, token);
    assertEquals(200, allowed.statusCode());
    assertEquals(APP, header(allowed, "Access-Control-Allow-Origin"));
    assertEquals("Origin", header(allowed, "Vary"));
    assertEquals(null, header(allowed, "Access-Control-Allow-Credentials"));
    assertTrue(backend.received().get(0).toLowerCase(Locale.ROOT).contains("\r\norigin: " + APP + "\r\n"),
        "the backend sees the Origin: " + backend.received());

    HttpResponse<String> foreign = api("/api/orders", "https://evil.example", token);
    assertEquals(200, foreign.statusCode(), "proxied as ever: the browser keeps the answer from the page");
    noAllowHeaders(foreign);
    assertEquals("Origin", header(foreign, "Vary"));
    HttpResponse<String> noOrigin = api("/api/orders", null, token);
    noAllowHeaders(noOrigin);
    assertEquals("Origin", header(noOrigin, "Vary"), "a cache must not give this answer to an allowed origin");

    // the page can read why it was refused (and refresh its token)
    HttpResponse<String> expired = api("/api/orders", APP, null);
    assertEquals(401, expired.statusCode());
    assertEquals(APP, header(expired, "Access-Control-Allow-Origin"));
    noAllowHeaders(api("/api/orders", "https://evil.example", null));
  }

  @Test
  void onACorsRouteTheBackendsOwnCorsAnswersAreReplacedAndItsVaryMerged() {
    HttpResponse<String> allowed = api("/minded/x", APP, null);
    assertEquals(200, allowed.statusCode());
    assertEquals(List.of(APP), allowed.headers().allValues("Access-Control-Allow-Origin"));
    assertEquals(null, header(allowed, "Access-Control-Allow-Credentials"), "never credentials mode, whatever the backend says");
    assertEquals(List.of("Accept-Encoding, Origin"), allowed.headers().allValues("Vary"));
    assertEquals("X-Total", header(allowed, "Access-Control-Expose-Headers"), "the backend's own business");

    HttpResponse<String> foreign = api("/minded/x", "https://evil.example", null);
    noAllowHeaders(foreign);
    assertEquals(List.of("Accept-Encoding, Origin"), foreign.headers().allValues("Vary"));
  }

  @Test
  void withoutCorsOnARouteNothingChanges() {
    HttpResponse<String> forwarded = preflight("/open/x", APP, "PUT", "authorization");
    assertEquals(200, forwarded.statusCode(), "a public route without cors forwards the OPTIONS as before");
    assertEquals(1, backend.received().size());
    assertTrue(backend.received().get(0).startsWith("OPTIONS /open/x HTTP/1.1\r\n"));
    noAllowHeaders(forwarded);
    assertEquals(null, header(forwarded, "Vary"));

    assertEquals(401, preflight("/plain/x", APP, "GET", "authorization").statusCode(), "private: a token is needed");

    HttpResponse<String> passed = api("/minded-plain/x", APP, null);
    assertEquals("*", header(passed, "Access-Control-Allow-Origin"), "the backend's headers pass through untouched");
    assertEquals("true", header(passed, "Access-Control-Allow-Credentials"));
    assertEquals(List.of("Accept-Encoding"), passed.headers().allValues("Vary"));
  }

  // --- helpers ---

  static HttpResponse<String> preflight(String path, String origin, String method, String headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(tollgate.uri(path))
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
        .header("Origin", origin).header("Access-Control-Request-Method", method);
    if (headers != null) {
      request.header("Access-Control-Request-Headers", headers);
    }
    return tollgate.send(request.build());
  }

  static HttpResponse<String> api(String path, String origin, String bearer) {
    HttpRequest.Builder request = HttpRequest.newBuilder(tollgate.uri(path));
    if (origin != null) {
      request.header("Origin", origin);
    }
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    return tollgate.send(request.build());
  }

  static HttpResponse<String> token(String origin, String basic, String... pairs) {
    return form("/token", origin, basic, pairs);
  }

  static HttpResponse<String> form(String path, String origin, String basic, String... pairs) {
    StringBuilder body = new StringBuilder();
    for (int i = 0; i + 1 < pairs.length; i += 2) {
      body.append(body.length() == 0 ? "" : "&").append(enc(pairs[i])).append('=').append(enc(pairs[i + 1]));
    }
    HttpRequest.Builder request = HttpRequest.newBuilder(tollgate.uri(path)).header("Origin", origin)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
    if (basic != null) {
      request.header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(basic.getBytes()));
    }
    return tollgate.send(request.build());
  }

  static HttpResponse<String> adminCall(String method, String path, String bearer, JsonObject body) {
    return tollgate.send(HttpRequest.newBuilder(tollgate.uri(path)).header("Authorization", "Bearer " + bearer)
        .header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body.encode())).build());
  }

  static String header(HttpResponse<?> response, String name) {
    return response.headers().firstValue(name).orElse(null);
  }

  /** A refused preflight: 403 JSON access_denied, and nothing a browser could take for a yes. */
  static void refused(HttpResponse<String> response, String why) {
    assertEquals(403, response.statusCode(), why + ": " + response.body());
    assertEquals("access_denied", json(response).getString("error"), why);
    assertEquals("application/json", header(response, "Content-Type"));
    noAllowHeaders(response);
  }

  static void noAllowHeaders(HttpResponse<?> response) {
    for (String name : response.headers().map().keySet()) {
      assertFalse(name.toLowerCase(Locale.ROOT).startsWith("access-control-allow-")
          || name.equalsIgnoreCase("access-control-max-age"), "unexpected " + name + " in " + response.headers().map());
    }
  }

  private static String enc(String s) {
    return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
  }

  static boolean eventually(Supplier<Boolean> condition) {
    long deadline = System.currentTimeMillis() + 10_000;
    while (System.currentTimeMillis() < deadline) {
      if (condition.get()) {
        return true;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return false;
  }
}
