package io.tollgate.authorize;

import static io.tollgate.TestTollgate.json;
import static io.tollgate.authorize.AuthorizeFixture.CHALLENGE;
import static io.tollgate.authorize.AuthorizeFixture.OOB;
import static io.tollgate.authorize.AuthorizeFixture.VERIFIER;
import static io.tollgate.authorize.AuthorizeFixture.WEB;
import static io.tollgate.authorize.AuthorizeFixture.WEB_SECRET;
import static io.tollgate.authorize.AuthorizeFixture.authorizePath;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The whole flow in a real headless Chromium: the login page, the redirect to a real application
 * server, the code exchange, and an API call through the gateway with the token. One browser for
 * the class. Chromium is required, not optional: ./test.sh installs it (as root) or says to.
 */
class BrowserFlowTest {
  static final String CHROMIUM = "/usr/bin/chromium";
  static final String CHROMEDRIVER = "/usr/bin/chromedriver";
  static Vertx appVertx;
  static HttpServer app;
  static final BlockingQueue<MultiMap> callbacks = new LinkedBlockingQueue<>();
  static String appBase;
  static AuthorizeFixture fixture;
  static ChromeDriverService driverService;
  static WebDriver browser;
  static WebDriverWait wait;

  @BeforeAll
  static void start() throws IOException {
    assertTrue(Files.isExecutable(Path.of(CHROMIUM)) && Files.isExecutable(Path.of(CHROMEDRIVER)),
        "the browser tests need Chromium: apt-get install -y chromium chromium-driver (./test.sh does, as root)");
    appVertx = Vertx.vertx();
    // the client application: its redirect URI, and an API behind the gateway that shows who called
    app = appVertx.createHttpServer().requestHandler(req -> {
      if (req.path().equals("/callback")) {
        callbacks.add(MultiMap.caseInsensitiveMultiMap().addAll(req.params()));
        req.response().putHeader("Content-Type", "text/html; charset=utf-8")
            .end("<!doctype html><title>Example app</title><p id=\"done\">Signed in.</p>");
      } else {
        req.response().putHeader("Content-Type", "application/json").end(new JsonObject()
            .put("path", req.path()).put("subject", req.getHeader("X-Auth-Subject"))
            .put("scope", req.getHeader("X-Auth-Scope")).encode());
      }
    }).listen(0, "127.0.0.1").await();
    appBase = "http://127.0.0.1:" + app.actualPort();
    JsonObject config = AuthorizeFixture.config("browser_flow", appBase);
    config.put("routes", new JsonArray().add(new JsonObject().put("path", "/api/")
        .put("backends", new JsonArray().add(appBase)).put("scopes", new JsonArray().add("profile"))));
    fixture = AuthorizeFixture.start(config, appBase);

    System.setProperty("webdriver.chrome.driver", CHROMEDRIVER); // never Selenium Manager's download
    driverService = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER))
        .usingAnyFreePort().build();
    Path profile = Files.createTempDirectory("tollgate-chromium");
    ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM).addArguments("--headless=new", "--no-sandbox",
        "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--user-data-dir=" + profile);
    browser = new ChromeDriver(driverService, options);
    wait = new WebDriverWait(browser, Duration.ofSeconds(15));
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
    if (appVertx != null) {
      appVertx.close().await();
    }
  }

  @BeforeEach
  void loggedOut() {
    browser.get(fixture.tollgate().uri("/health").toString());
    browser.manage().deleteAllCookies();
    callbacks.clear();
  }

  private static void open(String authorizePath) {
    browser.get(fixture.tollgate().uri(authorizePath).toString());
  }

  private static void type(String id, String text) {
    browser.findElement(By.id(id)).clear();
    browser.findElement(By.id(id)).sendKeys(text);
  }

  private static void submit() {
    browser.findElement(By.cssSelector("button[type=submit]")).click();
  }

  /** The query the application's redirect URI received, once the browser got there. */
  private static MultiMap callback() throws InterruptedException {
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("done")));
    assertTrue(browser.getCurrentUrl().startsWith(appBase + "/callback?"), browser.getCurrentUrl());
    MultiMap params = callbacks.poll(5, TimeUnit.SECONDS);
    assertNotNull(params, "the application received no callback");
    return params;
  }

  private static JsonObject exchange(String code, String redirectUri, String... extra) {
    String[] pairs = new String[6 + extra.length];
    System.arraycopy(new String[] {"grant_type", "authorization_code", "code", code, "redirect_uri", redirectUri},
        0, pairs, 0, 6);
    System.arraycopy(extra, 0, pairs, 6, extra.length);
    HttpResponse<String> response = fixture.tollgate().postForm("/token", WEB + ":" + WEB_SECRET, pairs);
    assertEquals(200, response.statusCode(), response.body());
    return json(response);
  }

  private static JsonObject callApi(String accessToken) {
    HttpResponse<String> response = fixture.tollgate().send(HttpRequest.newBuilder(fixture.tollgate().uri("/api/me"))
        .header("Authorization", "Bearer " + accessToken).build());
    assertEquals(200, response.statusCode(), response.body());
    return json(response);
  }

  @Test
  void aUserSignsInAndTheApplicationCallsTheApiWithTheToken() throws InterruptedException {
    String path = authorizePath("client_id", WEB, "redirect_uri", appBase + "/callback", "scope", "profile",
        "state", "browser-1", "code_challenge", CHALLENGE, "code_challenge_method", "S256");
    open(path);
    assertEquals("Sign in – Tollgate", browser.getTitle());

    type("username", "alice@example.com");
    type("password", "not-the-password");
    submit();
    assertEquals(LoginForm.FAILED, wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("form-error"))).getText());
    assertEquals("alice@example.com", browser.findElement(By.id("username")).getAttribute("value"));

    type("password", "alice-password-1");
    submit();
    MultiMap params = callback();
    assertEquals("browser-1", params.get("state"));
    JsonObject tokens = exchange(params.get("code"), appBase + "/callback", "code_verifier", VERIFIER);
    JsonObject seen = callApi(tokens.getString("access_token"));
    assertEquals("a1", seen.getString("subject"));
    assertEquals("profile", seen.getString("scope"));

    // the session cookie spares the login: straight back to the application with a new code
    open(authorizePath("client_id", WEB, "redirect_uri", appBase + "/callback", "state", "browser-2"));
    MultiMap again = callback();
    assertEquals("browser-2", again.get("state"));
    assertEquals("a1", callApi(exchange(again.get("code"), appBase + "/callback").getString("access_token"))
        .getString("subject"));
  }

  @Test
  void aUserWhoMustChangeThePasswordDoesSoFirst() throws InterruptedException {
    open(authorizePath("client_id", WEB, "redirect_uri", appBase + "/callback", "state", "pw"));
    type("username", "bob@example.com");
    type("password", "bob-password-1");
    submit();
    wait.until(ExpectedConditions.titleIs("Choose a new password – Tollgate"));

    type("current-password", "bob-password-1");
    type("new-password", "bob-new-password-2");
    type("repeat-password", "bob-new-password-3");
    submit();
    assertEquals("The two new passwords differ.",
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("form-error"))).getText());

    type("current-password", "bob-password-1");
    type("new-password", "bob-new-password-2");
    type("repeat-password", "bob-new-password-2");
    submit();
    MultiMap params = callback();
    assertEquals("pw", params.get("state"));
    assertEquals("b2", callApi(exchange(params.get("code"), appBase + "/callback").getString("access_token"))
        .getString("subject"));

    // the new password is the one that works now, with no detour
    browser.manage().deleteAllCookies();
    open(authorizePath("client_id", WEB, "redirect_uri", appBase + "/callback"));
    type("username", "bob@example.com");
    type("password", "bob-new-password-2");
    submit();
    callback();
  }

  @Test
  void anInstalledApplicationGetsThePinToCopy() {
    open(authorizePath("client_id", WEB, "redirect_uri", OOB, "scope", "profile"));
    type("username", "alice@example.com");
    type("password", "alice-password-1");
    submit();
    String pin = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("pin"))).getText().trim();
    assertEquals("Your code – Tollgate", browser.getTitle());
    JsonObject tokens = exchange(pin, OOB);
    assertEquals("a1", callApi(tokens.getString("access_token")).getString("subject"));
  }
}
