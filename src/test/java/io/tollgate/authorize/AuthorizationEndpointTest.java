package io.tollgate.authorize;

import static io.tollgate.authorize.AuthorizeFixture.CHALLENGE;
import static io.tollgate.authorize.AuthorizeFixture.ONE_URI;
import static io.tollgate.authorize.AuthorizeFixture.PASSWORD_CLIENT;
import static io.tollgate.authorize.AuthorizeFixture.SPA;
import static io.tollgate.authorize.AuthorizeFixture.WEB;
import static io.tollgate.authorize.AuthorizeFixture.authorizePath;
import static io.tollgate.authorize.AuthorizeFixture.location;
import static io.tollgate.authorize.AuthorizeFixture.query;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** GET /Authorization and its login form over plain HTTP: every way a request is refused, and the answers. */
class AuthorizationEndpointTest {
  static final String BASE = "https://client.example";
  static AuthorizeFixture fixture;

  @BeforeAll
  static void start() {
    fixture = AuthorizeFixture.start(AuthorizeFixture.config("authorization_endpoint", BASE), BASE);
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  private static void assertPageWithoutRedirect(HttpResponse<String> response, String sentence) {
    assertEquals(400, response.statusCode(), response.body());
    assertTrue(response.headers().firstValue("Location").isEmpty(), "never an open redirect");
    assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
    assertTrue(response.body().contains(sentence), response.body());
  }

  private static Map<String, String> errorRedirect(HttpResponse<String> response, String redirectUri) {
    assertEquals(302, response.statusCode(), response.body());
    String location = location(response);
    assertTrue(location.startsWith(redirectUri + "?") || location.startsWith(redirectUri + "&"), location);
    Map<String, String> params = query(location);
    assertNotNull(params.get("error_description"), location);
    assertFalse(params.containsKey("code"), location);
    return params;
  }

  @Test
  void anUnknownClientGetsAPageAndNoRedirect() {
    assertPageWithoutRedirect(fixture.get(authorizePath("client_id", "nobody", "redirect_uri", BASE + "/callback",
        "state", "s1"), null), "The application is not known here.");
    assertPageWithoutRedirect(fixture.get(authorizePath("redirect_uri", BASE + "/callback"), null), "client_id");
  }

  @Test
  void anUnregisteredRedirectUriGetsAPageAndNoRedirect() {
    assertPageWithoutRedirect(fixture.get(authorizePath("client_id", WEB, "redirect_uri", "https://evil.example/callback",
        "state", "s1"), null), "not registered");
    // the Profix spelling is checked just the same
    assertPageWithoutRedirect(fixture.get(authorizePath("client_id", WEB, "redirect_url", BASE + "/callback/x"), null),
        "not registered");
    // exact match: no prefix, no extra query
    assertPageWithoutRedirect(fixture.get(authorizePath("client_id", ONE_URI, "redirect_uri", BASE + "/cb?tenant=8"), null),
        "not registered");
    // a client with several URIs must name one
    assertPageWithoutRedirect(fixture.get(authorizePath("client_id", WEB), null), "redirect_uri");
    // a repeated parameter makes the whole request untrustworthy
    assertPageWithoutRedirect(fixture.get("/Authorization?client_id=" + WEB + "&client_id=" + ONE_URI, null), "repeated");
  }

  @Test
  void aClientWhoseGrantIsNotAuthorizationCodeIsUnauthorizedWithItsState() {
    Map<String, String> error = errorRedirect(fixture.get(authorizePath("client_id", PASSWORD_CLIENT,
        "redirect_uri", BASE + "/pw", "state", "st-1"), null), BASE + "/pw");
    assertEquals("unauthorized_client", error.get("error"));
    assertEquals("st-1", error.get("state"));
  }

  @Test
  void anUnsupportedResponseTypeIsRedirectedWithItsState() {
    Map<String, String> error = errorRedirect(fixture.get(authorizePath("client_id", ONE_URI, "response_type", "token",
        "state", "st-2"), null), BASE + "/cb?tenant=7");
    assertEquals("unsupported_response_type", error.get("error"));
    assertEquals("st-2", error.get("state"));
    assertEquals("7", error.get("tenant"), "the registered URI's own query is kept");
    Map<String, String> grantType = errorRedirect(fixture.get(authorizePath("client_id", ONE_URI,
        "grant_type", "password", "state", "st-3"), null), BASE + "/cb?tenant=7");
    assertEquals("unsupported_response_type", grantType.get("error"));
  }

  @Test
  void aScopeTheClientMayNotHaveIsInvalidScope() {
    Map<String, String> error = errorRedirect(fixture.get(authorizePath("client_id", ONE_URI, "scope", "profile,orders",
        "state", "st-4"), null), BASE + "/cb?tenant=7");
    assertEquals("invalid_scope", error.get("error"));
    assertEquals("st-4", error.get("state"));
  }

  @Test
  void plainPkceIsRefused() {
    Map<String, String> plain = errorRedirect(fixture.get(authorizePath("client_id", SPA, "code_challenge", CHALLENGE,
        "code_challenge_method", "plain", "state", "st-5"), null), BASE + "/spa");
    assertEquals("invalid_request", plain.get("error"));
    assertEquals("st-5", plain.get("state"));
    assertTrue(plain.get("error_description").contains("S256"));
    // no method means plain (RFC 7636 §4.3): refused too
    Map<String, String> implicitPlain = errorRedirect(fixture.get(authorizePath("client_id", SPA,
        "code_challenge", CHALLENGE, "state", "st-6"), null), BASE + "/spa");
    assertEquals("invalid_request", implicitPlain.get("error"));
    Map<String, String> malformed = errorRedirect(fixture.get(authorizePath("client_id", SPA,
        "code_challenge", "short", "code_challenge_method", "S256"), null), BASE + "/spa");
    assertEquals("invalid_request", malformed.get("error"));
  }

  @Test
  void aPublicClientWithoutPkceIsRefused() {
    Map<String, String> error = errorRedirect(fixture.get(authorizePath("client_id", SPA, "state", "st-7"), null),
        BASE + "/spa");
    assertEquals("invalid_request", error.get("error"));
    assertEquals("st-7", error.get("state"));
    assertTrue(error.get("error_description").contains("PKCE"), error.get("error_description"));
  }

  @Test
  void theLoginPageIsProtectedAndEscapesWhatItShows() {
    String state = "\"><script>alert(1)</script>";
    HttpResponse<String> page = fixture.get(authorizePath("client_id", WEB, "redirect_uri", BASE + "/callback",
        "response_type", "code", "state", state), null);
    assertEquals(200, page.statusCode(), page.body());
    assertEquals("DENY", page.headers().firstValue("X-Frame-Options").orElse(""));
    assertEquals("no-store", page.headers().firstValue("Cache-Control").orElse(""));
    String csp = page.headers().firstValue("Content-Security-Policy").orElse("");
    assertTrue(csp.startsWith("default-src 'none'"), csp);
    assertTrue(csp.contains("frame-ancestors 'none'"), csp);
    assertTrue(csp.contains("form-action 'self' https://client.example;"), csp);
    assertTrue(csp.contains("style-src 'sha256-"), csp);
    assertFalse(page.body().contains("<script"), "the state is escaped: " + page.body());
    assertTrue(page.body().contains("&quot;&gt;&lt;script&gt;"), page.body());
    assertEquals(state, AuthorizeFixture.hiddenFields(page.body()).get("state"));
    assertTrue(page.body().contains("<label for=\"username\">") && page.body().contains("<label for=\"password\">"));
    String csrfCookie = page.headers().firstValue("Set-Cookie").orElse("");
    assertTrue(csrfCookie.startsWith("tollgate_csrf="), csrfCookie);
    assertTrue(csrfCookie.toLowerCase().contains("; httponly") && csrfCookie.contains("SameSite=Lax"), csrfCookie);
    assertFalse(csrfCookie.contains("Secure"), "plain HTTP: " + csrfCookie);
  }

  @Test
  void behindATlsLoadBalancerCookiesAreSecureAndHostPrefixed() {
    HttpResponse<String> page = fixture.get(authorizePath("client_id", ONE_URI), null, "X-Forwarded-Proto", "https");
    String csrfCookie = page.headers().firstValue("Set-Cookie").orElse("");
    assertTrue(csrfCookie.startsWith("__Host-tollgate_csrf=") && csrfCookie.contains("Secure")
        && csrfCookie.contains("Path=/"), csrfCookie);
  }

  @Test
  void aLoginFormWithoutTheRightCsrfTokenIsRefused() {
    AuthorizeFixture.LoginPage page = fixture.open(authorizePath("client_id", ONE_URI, "state", "c"));
    Map<String, String> noToken = page.with("username", "alice@example.com", "password", "alice-password-1");
    noToken.remove("csrf");
    Map<String, String> wrongToken = page.with("username", "alice@example.com", "password", "alice-password-1",
        "csrf", "A".repeat(43));
    Map<String, String> rightToken = page.with("username", "alice@example.com", "password", "alice-password-1");
    for (HttpResponse<String> refused : List.of(
        fixture.post("/Authorization", page.cookies(), noToken),
        fixture.post("/Authorization", page.cookies(), wrongToken),
        fixture.post("/Authorization", null, rightToken))) {
      assertEquals(403, refused.statusCode(), refused.body());
      assertTrue(refused.headers().firstValue("Location").isEmpty());
      assertTrue(refused.headers().allValues("Set-Cookie").stream().noneMatch(c -> c.startsWith("tollgate_session")));
      assertTrue(refused.body().contains("This form has expired"), refused.body());
    }
    assertEquals(302, fixture.post("/Authorization", page.cookies(), rightToken).statusCode());
  }

  @Test
  void aWrongPasswordAndAnUnknownUserGetTheSameMessage() {
    HttpResponse<String> wrong = fixture.login(authorizePath("client_id", ONE_URI), "dave@example.com", "not-it");
    HttpResponse<String> unknown = fixture.login(authorizePath("client_id", ONE_URI), "nobody@example.com", "not-it");
    for (HttpResponse<String> failed : List.of(wrong, unknown)) {
      assertEquals(400, failed.statusCode());
      assertTrue(failed.headers().firstValue("Location").isEmpty());
      assertTrue(failed.body().contains(LoginForm.FAILED), failed.body());
    }
  }

  @Test
  void theLockoutOfThePasswordGrantAppliesToTheLoginPage() {
    for (int i = 0; i < 5; i++) {
      assertEquals(400, fixture.login(authorizePath("client_id", ONE_URI), "carol@example.com", "wrong-" + i).statusCode());
    }
    HttpResponse<String> locked = fixture.login(authorizePath("client_id", ONE_URI), "carol@example.com", "carol-password-1");
    assertEquals(400, locked.statusCode(), "the right password does not help while locked");
    assertTrue(locked.body().contains(LoginForm.FAILED));
  }

  @Test
  void aLoginRedirectsWithCodeAndStateAndASessionSparesTheNextLogin() {
    String path = authorizePath("client_id", ONE_URI, "scope", "profile", "state", "xyz");
    AuthorizeFixture.LoginPage page = fixture.open(path);
    HttpResponse<String> answer = fixture.post("/Authorization", page.cookies(),
        page.with("username", "alice@example.com", "password", "alice-password-1"));
    assertEquals(302, answer.statusCode(), answer.body());
    String location = location(answer);
    assertTrue(location.startsWith(BASE + "/cb?tenant=7&code="), "appended with &: " + location);
    assertTrue(location.endsWith("&state=xyz"), location);
    assertTrue(query(location).get("code").length() >= 43, "256 random bits");
    assertEquals("no-store", answer.headers().firstValue("Cache-Control").orElse(""));
    String session = answer.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("tollgate_session="))
        .findFirst().orElseThrow();
    assertTrue(session.toLowerCase().contains("; httponly") && session.contains("SameSite=Lax")
        && session.contains("Path=/"), session);

    String cookies = AuthorizeFixture.cookies(answer, page.cookies());
    HttpResponse<String> again = fixture.get(authorizePath("client_id", ONE_URI, "state", "second"), cookies);
    assertEquals(302, again.statusCode(), "no login page for a logged-in user: " + again.body());
    Map<String, String> params = query(location(again));
    assertEquals("second", params.get("state"));
    assertFalse(params.get("code").equals(query(location).get("code")));
    // also on the other path of the endpoint
    assertEquals(302, fixture.get("/oauth2/authorize?client_id=" + ONE_URI, cookies).statusCode());
    // a forged session cookie is just no session
    assertEquals(200, fixture.get(authorizePath("client_id", ONE_URI), "tollgate_session=" + "B".repeat(43)).statusCode());
  }

  @Test
  void procuriosGrantTypeCodeIsAcceptedInsteadOfResponseType() {
    HttpResponse<String> page = fixture.get(authorizePath("client_id", ONE_URI, "grant_type", "code"), null);
    assertEquals(200, page.statusCode(), page.body());
  }

  @Test
  void cancellingTheLoginIsAccessDenied() {
    AuthorizeFixture.LoginPage page = fixture.open(authorizePath("client_id", ONE_URI, "state", "cx"));
    Map<String, String> error = errorRedirect(fixture.post("/Authorization", page.cookies(), page.with("cancel", "1")),
        BASE + "/cb?tenant=7");
    assertEquals("access_denied", error.get("error"));
    assertEquals("cx", error.get("state"));
  }

  @Test
  void aScopeNoneOfTheUsersRolesGrantsIsInvalidScopeAfterLogin() {
    HttpResponse<String> answer = fixture.login(authorizePath("client_id", WEB, "redirect_uri", BASE + "/callback",
        "scope", "admin", "state", "adm"), "dave@example.com", "dave-password-1");
    Map<String, String> error = errorRedirect(answer, BASE + "/callback");
    assertEquals("invalid_scope", error.get("error"));
    assertEquals("adm", error.get("state"));
  }

  @Test
  void otherMethodsAreNotAllowed() {
    HttpResponse<String> put = fixture.tollgate().send(java.net.http.HttpRequest.newBuilder(
        fixture.tollgate().uri("/Authorization")).PUT(java.net.http.HttpRequest.BodyPublishers.noBody()).build());
    assertEquals(405, put.statusCode());
  }
}
