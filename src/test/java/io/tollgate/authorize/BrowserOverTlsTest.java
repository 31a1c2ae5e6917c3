package io.tollgate.authorize;

import static io.tollgate.authorize.AuthorizeFixture.OOB;
import static io.tollgate.authorize.AuthorizeFixture.WEB;
import static io.tollgate.authorize.AuthorizeFixture.authorizePath;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tollgate.tls.TestCertificates;
import io.tollgate.tls.TestCertificates.Pair;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The login page in a real headless Chromium over Tollgate's own TLS listener: the page comes over
 * h2 and the session cookie is Secure with the {@code __Host-} prefix (RFC 6265bis §4.1.3.2).
 */
class BrowserOverTlsTest {
  @Test
  void theLoginPageOverTlsIsServedOverH2AndSetsASecureHostCookie() throws Exception {
    TestCertificates ca = TestCertificates.create("Browser CA");
    Pair localhost = ca.ec("localhost", "localhost");
    JsonObject config = AuthorizeFixture.config("browser_tls", "https://app.example");
    config.getJsonObject("http").put("tls", new JsonObject()
        .put("cert", localhost.cert().toString()).put("key", localhost.key().toString()));
    AuthorizeFixture fixture = AuthorizeFixture.start(config, "https://app.example");
    System.setProperty("webdriver.chrome.driver", BrowserFlowTest.CHROMEDRIVER);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(BrowserFlowTest.CHROMEDRIVER)).usingAnyFreePort().build();
    Path profile = Files.createTempDirectory("tollgate-chromium-tls");
    // the test CA is not in Chromium's store: certificate errors are ignored, TLS itself is not
    ChromeOptions options = new ChromeOptions().setBinary(BrowserFlowTest.CHROMIUM).addArguments("--headless=new",
        "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--ignore-certificate-errors", "--user-data-dir=" + profile);
    WebDriver browser = new ChromeDriver(service, options);
    try {
      String base = "https://localhost:" + fixture.tollgate().port();
      browser.get(base + authorizePath("client_id", WEB, "redirect_uri", OOB, "scope", "profile"));
      assertEquals("Sign in – Tollgate", browser.getTitle());
      assertEquals("h2", ((JavascriptExecutor) browser)
          .executeScript("return performance.getEntriesByType('navigation')[0].nextHopProtocol"));
      browser.findElement(By.id("username")).sendKeys("alice@example.com");
      browser.findElement(By.id("password")).sendKeys("alice-password-1");
      browser.findElement(By.cssSelector("button[type=submit]")).click();
      new WebDriverWait(browser, Duration.ofSeconds(15)).until(d -> !d.getTitle().startsWith("Sign in"));
      Set<Cookie> cookies = browser.manage().getCookies();
      Set<Cookie> session = cookies.stream().filter(c -> c.getName().startsWith("__Host-")).collect(Collectors.toSet());
      assertTrue(!session.isEmpty(), "a __Host- session cookie: " + cookies.stream().map(Cookie::getName).toList());
      session.forEach(c -> assertTrue(c.isSecure() && c.isHttpOnly(), c.getName() + " must be Secure and HttpOnly"));
    } finally {
      browser.quit();
      service.stop();
      fixture.close();
    }
  }
}
