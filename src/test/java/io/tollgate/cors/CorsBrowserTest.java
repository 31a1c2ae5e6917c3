package io.tollgate.cors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tollgate.TestTollgate;
import io.tollgate.authorize.AuthorizeFixture;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * README "Browsers (CORS)" end to end in a real headless Chromium: a single-page app served from another origin
 * (Tollgate on http://localhost:P1, the app on http://127.0.0.1:P2) signs a user in, exchanges the code
 * with {@code fetch} (PKCE, a public client), and calls a protected API through the gateway with the
 * Authorization header, which makes the browser send a preflight first; the page reads both answers.
 * The same page from an origin nobody registered (http://127.0.0.1:P3) is refused by the browser:
 * both fetches reject, and the page reads nothing.
 */
class CorsBrowserTest {
  static final String CHROMIUM = "/usr/bin/chromium";
  static final String CHROMEDRIVER = "/usr/bin/chromedriver";
  static Vertx vertx;
  static HttpServer app;
  static HttpServer stranger;
  static HttpServer api;
  static final List<String> apiRequests = new CopyOnWriteArrayList<>();
  static String appOrigin;
  static String strangerOrigin;
  static String tollgateBase;
  static AuthorizeFixture fixture;
  static ChromeDriverService driverService;
  static WebDriver browser;
  static WebDriverWait wait;

  /**
   * The app: at its redirect URI it takes the code from its own address, exchanges it at the token
   * endpoint and calls the API with the access token (or, given {@code token}, with that one), and
   * writes what it could read into #result.
   */
  static final String PAGE = """
      <!doctype html><meta charset="utf-8"><title>SPA</title><pre id="result"></pre>
      <script>
      (async () => {
        const here = new URLSearchParams(location.search);
        const out = {};
        let token = here.get('token');
        try {
          const answer = await fetch('%1$s/token', { method: 'POST', body: new URLSearchParams({
            grant_type: 'authorization_code', client_id: 'spa-app', code: here.get('code') || 'none',
            redirect_uri: here.get('redirect') || location.origin + '/callback', code_verifier: '%2$s' }) });
          out.tokenStatus = answer.status;
          const body = await answer.json();
          out.tokenType = body.token_type;
          out.scope = body.scope;
          out.gotAccessToken = typeof body.access_token === 'string';
          token = body.access_token || token;
        } catch (e) {
          out.tokenFailure = e.name;
        }
        try {
          const answer = await fetch('%1$s/api/me', { headers: { 'Authorization': 'Bearer ' + token } });
          out.apiStatus = answer.status;
          out.api = await answer.json();
        } catch (e) {
          out.apiFailure = e.name;
        }
        document.getElementById('result').textContent = JSON.stringify(out);
      })();
      </script>""";

  @BeforeAll
  static void start() throws IOException {
    assertTrue(Files.isExecutable(Path.of(CHROMIUM)) && Files.isExecutable(Path.of(CHROMEDRIVER)),
        "the browser tests need Chromium: apt-get install -y chromium chromium-driver (./test.sh does, as root)");
    vertx = Vertx.vertx();
    api = vertx.createHttpServer().requestHandler(req -> {
      apiRequests.add(req.method() + " " + req.path());
      req.response().putHeader("Content-Type", "application/json").end(new JsonObject()
          .put("subject", req.getHeader("X-Auth-Subject")).put("scope", req.getHeader("X-Auth-Scope")).encode());
    }).listen(0, "127.0.0.1").await();
    app = vertx.createHttpServer().requestHandler(req -> req.response()
        .putHeader("Content-Type", "text/html; charset=utf-8").end(page())).listen(0, "127.0.0.1").await();
    stranger = vertx.createHttpServer().requestHandler(req -> req.response()
        .putHeader("Content-Type", "text/html; charset=utf-8").end(page())).listen(0, "127.0.0.1").await();
    appOrigin = "http://127.0.0.1:" + app.actualPort();
    strangerOrigin = "http://127.0.0.1:" + stranger.actualPort();

    Path bootstrap = Files.createTempFile("tollgate-cors-browser", ".yaml");
    Files.writeString(bootstrap, """
        roles: [{ name: consumer, scopes: [profile] }]
        clients:
          - { id: spa-app, public: true, grant: authorization_code, scopes: [profile],
              redirectUris: ["%1$s/callback"], webOrigins: ["%1$s"] }
        users:
          - { id: "a1", username: alice@example.com, password: alice-password-1, roles: [consumer] }
        """.formatted(appOrigin));
    JsonObject config = TestTollgate.config("cors_browser").put("bootstrap", bootstrap.toString());
    config.put("routes", new JsonArray().add(new JsonObject().put("path", "/api/")
        .put("backends", new JsonArray().add("http://127.0.0.1:" + api.actualPort()))
        .put("scopes", new JsonArray().add("profile"))
        .put("cors", new JsonObject().put("origins", new JsonArray().add(appOrigin))
            .put("methods", new JsonArray().add("GET")).put("headers", new JsonArray().add("Authorization")))));
    fixture = AuthorizeFixture.start(config, appOrigin);
    // another origin than the pages': localhost, not 127.0.0.1
    tollgateBase = "http://localhost:" + fixture.tollgate().port();

    System.setProperty("webdriver.chrome.driver", CHROMEDRIVER); // never Selenium Manager's download
    driverService = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER))
        .usingAnyFreePort().build();
    Path profile = Files.createTempDirectory("tollgate-chromium-cors");
    ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM).addArguments("--headless=new", "--no-sandbox",
        "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--user-data-dir=" + profile);
    browser = new ChromeDriver(driverService, options);
    wait = new WebDriverWait(browser, Duration.ofSeconds(15));
  }

  static String page() {
    return PAGE.formatted(tollgateBase, AuthorizeFixture.VERIFIER);
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (driverService != null) {
      driverService.stop();
    }
    if (fixture != null) {
      fixture.close();
    }
    if (vertx != null) {
      vertx.close().await();
    }
  }

  /** What the page at {@code url} could read, once its script is done. */
  static JsonObject pageRead(String url) {
    browser.get(url);
    wait.until(ExpectedConditions.textMatches(By.id("result"), java.util.regex.Pattern.compile(".+")));
    return new JsonObject(browser.findElement(By.id("result")).getText());
  }

  @Test
  void theRegisteredAppExchangesTheCodeAndCallsTheApiWhoseAnswersItCanRead() {
    apiRequests.clear();
    // the user signs in in the browser and comes back to the app's redirect URI with the code
    browser.get(tollgateBase + AuthorizeFixture.authorizePath("client_id", "spa-app", "redirect_uri",
        appOrigin + "/callback", "scope", "profile", "state", "s1", "code_challenge", AuthorizeFixture.CHALLENGE,
        "code_challenge_method", "S256"));
    browser.findElement(By.id("username")).sendKeys("alice@example.com");
    browser.findElement(By.id("password")).sendKeys("alice-password-1");
    browser.findElement(By.cssSelector("button[type=submit]")).click();
    wait.until(ExpectedConditions.textMatches(By.id("result"), java.util.regex.Pattern.compile(".+")));
    assertTrue(browser.getCurrentUrl().startsWith(appOrigin + "/callback?code="), browser.getCurrentUrl());
    JsonObject read = new JsonObject(browser.findElement(By.id("result")).getText());

    assertEquals(200, read.getInteger("tokenStatus"), read.encode());
    assertEquals("Bearer", read.getString("tokenType"));
    assertEquals("profile", read.getString("scope"));
    assertTrue(read.getBoolean("gotAccessToken"));
    assertEquals(200, read.getInteger("apiStatus"), read.encode());
    assertEquals(new JsonObject().put("subject", "a1").put("scope", "profile"), read.getJsonObject("api"));
    // the Authorization header made Chromium ask first; the gateway answered that itself, without a token
    assertEquals(List.of("GET /api/me"), apiRequests, "the preflight never reached the backend");
    assertTrue(fixture.tollgate().get("/metrics").body().lines().anyMatch(line ->
            line.startsWith("tollgate_http_requests_seconds_count{") && line.contains("method=\"OPTIONS\"")
                && line.contains("route=\"/api/\"") && line.contains("status=\"204\"")),
        "the gateway answered the preflight with 204");
  }

  @Test
  void theSamePageFromAnOriginNobodyRegisteredIsRefusedByTheBrowser() {
    String code = fixture.code(AuthorizeFixture.authorizePath("client_id", "spa-app", "redirect_uri",
        appOrigin + "/callback", "scope", "profile", "code_challenge", AuthorizeFixture.CHALLENGE,
        "code_challenge_method", "S256"), "alice@example.com", "alice-password-1");
    // a valid token too, so that only the origin stands between the page and the API
    String token = TestTollgate.json(fixture.tollgate().postForm("/token", null, "grant_type", "authorization_code",
        "client_id", "spa-app", "code", fixture.code(AuthorizeFixture.authorizePath("client_id", "spa-app",
            "redirect_uri", appOrigin + "/callback", "code_challenge", AuthorizeFixture.CHALLENGE,
            "code_challenge_method", "S256"), "alice@example.com", "alice-password-1"),
        "redirect_uri", appOrigin + "/callback", "code_verifier", AuthorizeFixture.VERIFIER)).getString("access_token");
    apiRequests.clear();

    // a request that would succeed (its code, its redirect URI): only the origin is wrong
    JsonObject read = pageRead(strangerOrigin + "/callback?code=" + code + "&token=" + token + "&redirect="
        + java.net.URLEncoder.encode(appOrigin + "/callback", java.nio.charset.StandardCharsets.UTF_8));
    assertEquals("TypeError", read.getString("tokenFailure"), "fetch rejects: " + read.encode());
    assertNull(read.getValue("tokenStatus"), "not even the status is readable");
    assertFalse(read.containsKey("gotAccessToken"));
    assertEquals("TypeError", read.getString("apiFailure"), read.encode());
    assertNull(read.getValue("apiStatus"));
    assertEquals(List.of(), apiRequests, "refused at the preflight: the API was never called");
  }
}
