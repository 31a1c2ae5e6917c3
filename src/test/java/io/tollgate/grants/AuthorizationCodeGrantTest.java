package io.tollgate.grants;

import static io.tollgate.TestTollgate.json;
import static io.tollgate.authorize.AuthorizeFixture.CHALLENGE;
import static io.tollgate.authorize.AuthorizeFixture.OOB;
import static io.tollgate.authorize.AuthorizeFixture.ONE_URI;
import static io.tollgate.authorize.AuthorizeFixture.SPA;
import static io.tollgate.authorize.AuthorizeFixture.VERIFIER;
import static io.tollgate.authorize.AuthorizeFixture.WEB;
import static io.tollgate.authorize.AuthorizeFixture.authorizePath;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tollgate.TestTollgate;
import io.tollgate.authorize.AuthorizeFixture;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.oauth2.OAuth2Auth;
import io.vertx.ext.auth.oauth2.OAuth2AuthorizationURL;
import io.vertx.ext.auth.oauth2.OAuth2FlowType;
import io.vertx.ext.auth.oauth2.OAuth2Options;
import io.vertx.ext.auth.oauth2.Oauth2Credentials;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** grant_type=authorization_code at the token endpoint, with codes from real logins. */
class AuthorizationCodeGrantTest {
  static final String BASE = "https://client.example";
  static final String WEB_CLIENT = WEB + ":" + AuthorizeFixture.WEB_SECRET;
  static final String ONE_URI_CLIENT = ONE_URI + ":" + AuthorizeFixture.ONE_URI_SECRET;
  static AuthorizeFixture fixture;
  static TestTollgate tollgate;

  @BeforeAll
  static void start() {
    fixture = AuthorizeFixture.start(AuthorizeFixture.config("authorization_code_grant", BASE), BASE);
    tollgate = fixture.tollgate();
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  static String webCode(String... extra) {
    List<String> params = new ArrayList<>(List.of("client_id", WEB, "redirect_uri", fixture.callback(), "scope", "profile orders"));
    params.addAll(List.of(extra));
    return fixture.code(authorizePath(params.toArray(String[]::new)), "alice@example.com", "alice-password-1");
  }

  static HttpResponse<String> exchange(String basic, String... pairs) {
    List<String> form = new ArrayList<>(List.of("grant_type", "authorization_code"));
    form.addAll(List.of(pairs));
    return tollgate.postForm("/token", basic, form.toArray(String[]::new));
  }

  static void assertInvalidGrant(HttpResponse<String> response) {
    assertEquals(400, response.statusCode(), response.body());
    assertEquals("invalid_grant", json(response).getString("error"), response.body());
  }

  static boolean active(String token) {
    return json(tollgate.postForm("/token/introspect", WEB_CLIENT, "token", token)).getBoolean("active");
  }

  @Test
  void aCodeGivesAnAccessAndARefreshTokenForTheUser() {
    HttpResponse<String> response = exchange(WEB_CLIENT, "code", webCode(), "redirect_uri", fixture.callback());
    assertEquals(200, response.statusCode(), response.body());
    assertEquals("no-store", response.headers().firstValue("Cache-Control").orElse(""));
    JsonObject tokens = json(response);
    assertEquals("Bearer", tokens.getString("token_type"));
    assertEquals("profile orders", tokens.getString("scope"));
    assertNotNull(tokens.getString("refresh_token"));
    JsonObject introspected = json(tollgate.postForm("/token/introspect", WEB_CLIENT, "token", tokens.getString("access_token")));
    assertEquals(true, introspected.getBoolean("active"));
    assertEquals("a1", introspected.getString("sub"));
    assertEquals(WEB, introspected.getString("client_id"));
    // the refresh token works like any other
    assertEquals(200, tollgate.postForm("/token", WEB_CLIENT, "grant_type", "refresh_token",
        "refresh_token", tokens.getString("refresh_token")).statusCode());
  }

  @Test
  void aReplayedCodeFailsAndRevokesEveryTokenIssuedFromIt() {
    String code = webCode();
    JsonObject first = json(exchange(WEB_CLIENT, "code", code, "redirect_uri", fixture.callback()));
    String access = first.getString("access_token");
    assertTrue(active(access));

    HttpResponse<String> replay = exchange(WEB_CLIENT, "code", code, "redirect_uri", fixture.callback());
    assertInvalidGrant(replay);
    assertFalse(active(access), "the access token of the first exchange is revoked");
    assertFalse(active(first.getString("refresh_token")));
    assertInvalidGrant(tollgate.postForm("/token", WEB_CLIENT, "grant_type", "refresh_token",
        "refresh_token", first.getString("refresh_token")));
  }

  @Test
  void concurrentExchangesOfOneCodeLeaveNoLiveToken() {
    String code = webCode();
    List<CompletableFuture<HttpResponse<String>>> attempts = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      attempts.add(CompletableFuture.supplyAsync(() -> exchange(WEB_CLIENT, "code", code, "redirect_uri", fixture.callback())));
    }
    List<HttpResponse<String>> answers = attempts.stream().map(CompletableFuture::join).toList();
    List<HttpResponse<String>> won = answers.stream().filter(r -> r.statusCode() == 200).toList();
    // one redemption wins the row lock; the others are replays, which revoke its tokens, or make it
    // fail outright when they land before it has finished
    assertTrue(won.size() <= 1, "at most one exchange wins: " + won.size());
    assertEquals(answers.size() - won.size(), answers.stream().filter(r -> r.statusCode() == 400
        && "invalid_grant".equals(json(r).getString("error"))).count());
    won.forEach(winner -> assertFalse(active(json(winner).getString("access_token")), "the replays revoked it"));
  }

  @Test
  void aPublicClientExchangesWithItsVerifierAndNoSecret() {
    String code = fixture.code(authorizePath("client_id", SPA, "code_challenge", CHALLENGE, "code_challenge_method", "S256"),
        "alice@example.com", "alice-password-1");
    HttpResponse<String> response = exchange(null, "client_id", SPA, "code", code, "redirect_uri", fixture.spaCallback(),
        "code_verifier", VERIFIER);
    assertEquals(200, response.statusCode(), response.body());
    assertEquals("profile", json(response).getString("scope"));
  }

  @Test
  void aVerifierThatDoesNotMatchTheChallengeIsInvalidGrant() {
    String path = authorizePath("client_id", SPA, "code_challenge", CHALLENGE, "code_challenge_method", "S256");
    assertInvalidGrant(exchange(null, "client_id", SPA, "code", fixture.code(path, "alice@example.com", "alice-password-1"),
        "code_verifier", VERIFIER.replace('d', 'e')));
    assertInvalidGrant(exchange(null, "client_id", SPA, "code", fixture.code(path, "alice@example.com", "alice-password-1")));
    // a verifier for a request that had no challenge is a downgrade attempt
    assertInvalidGrant(exchange(WEB_CLIENT, "code", webCode(), "redirect_uri", fixture.callback(), "code_verifier", VERIFIER));
  }

  @Test
  void aRedirectUriOtherThanTheRequestsIsInvalidGrant() {
    assertInvalidGrant(exchange(WEB_CLIENT, "code", webCode(), "redirect_uri", BASE + "/second"));
    assertInvalidGrant(exchange(WEB_CLIENT, "code", webCode(), "redirect_url", BASE + "/callback?x=1"));
    // a client with several redirect URIs must send it
    assertInvalidGrant(exchange(WEB_CLIENT, "code", webCode()));
    // the Profix spelling works when it is right
    assertEquals(200, exchange(WEB_CLIENT, "code", webCode(), "redirect_url", fixture.callback()).statusCode());
  }

  @Test
  void aClientWithOneRedirectUriMayOmitIt() {
    String code = fixture.code(authorizePath("client_id", ONE_URI), "alice@example.com", "alice-password-1");
    HttpResponse<String> response = tollgate.postForm("/token", ONE_URI_CLIENT, "grant_type", "code", "code", code);
    assertEquals(200, response.statusCode(), response.body());
  }

  @Test
  void aCodeIsBoundToItsClient() {
    assertInvalidGrant(exchange(ONE_URI_CLIENT, "code", webCode(), "redirect_uri", fixture.callback()));
    assertInvalidGrant(exchange(WEB_CLIENT, "code", "not-a-code-we-issued", "redirect_uri", fixture.callback()));
    assertEquals("invalid_request", json(exchange(WEB_CLIENT, "redirect_uri", fixture.callback())).getString("error"));
  }

  @Test
  void theOutOfBandCodeIsExchangedLikeAnyOther() {
    HttpResponse<String> page = fixture.login(authorizePath("client_id", WEB, "redirect_uri", OOB), "alice@example.com",
        "alice-password-1");
    assertEquals(200, page.statusCode(), page.body());
    java.util.regex.Matcher pin = java.util.regex.Pattern.compile("<output id=\"pin\"[^>]*>([^<]+)</output>").matcher(page.body());
    assertTrue(pin.find(), page.body());
    assertEquals(200, exchange(WEB_CLIENT, "code", pin.group(1), "redirect_uri", OOB).statusCode());
  }

  @Test
  void anExpiredCodeIsInvalidGrant() throws InterruptedException {
    JsonObject config = AuthorizeFixture.config("expired_code", BASE);
    config.getJsonObject("tokens").put("codeTtl", 1);
    AuthorizeFixture shortLived = AuthorizeFixture.start(config, BASE);
    try {
      String code = shortLived.code(authorizePath("client_id", ONE_URI), "alice@example.com", "alice-password-1");
      Thread.sleep(1_500);
      HttpResponse<String> response = shortLived.tollgate().postForm("/token", ONE_URI_CLIENT,
          "grant_type", "authorization_code", "code", code);
      assertEquals("invalid_grant", json(response).getString("error"), response.body());
      assertTrue(json(response).getString("error_description").contains("expired"));
    } finally {
      shortLived.close();
    }
  }

  @Test
  void vertxsOwnOAuth2ClientCompletesTheFlow() {
    Vertx vertx = Vertx.vertx();
    try {
      String site = "http://127.0.0.1:" + tollgate.port();
      OAuth2Auth oauth2 = OAuth2Auth.create(vertx, new OAuth2Options()
          .setClientId(WEB).setClientSecret(AuthorizeFixture.WEB_SECRET).setUseBasicAuthorization(true)
          .setSite(site).setAuthorizationPath("/Authorization").setTokenPath("/token")
          .setJwkPath("/.well-known/jwks.json")
          .setJWTOptions(new JWTOptions().setIssuer("https://api.profix-it.nl")
              .setAudience(List.of("https://api.profix-it.nl"))));
      oauth2.jWKSet().await();
      String url = oauth2.authorizeURL(new OAuth2AuthorizationURL().setRedirectUri(fixture.callback())
          .setScopes(List.of("profile", "orders")).setState("vx-state")
          .setCodeChallenge(CHALLENGE).setCodeChallengeMethod("S256"));
      assertTrue(url.startsWith(site + "/Authorization?"), url);

      // the user signs in on the URL the client built; the client exchanges what comes back
      String code = fixture.code(url.substring(site.length()), "alice@example.com", "alice-password-1");
      User user = oauth2.authenticate(new Oauth2Credentials().setFlow(OAuth2FlowType.AUTH_CODE).setCode(code)
          .setRedirectUri(fixture.callback()).setCodeVerifier(VERIFIER)).await();

      assertNotNull(user.principal().getString("refresh_token"));
      // the client verified the JWT against our JWKS, issuer and audience before it kept these claims
      JsonObject accessToken = user.attributes().getJsonObject("accessToken");
      assertNotNull(accessToken, "the client could not verify the access token: " + user.attributes());
      assertEquals("a1", accessToken.getString("sub"));
      assertEquals("profile orders", accessToken.getString("scope"));
      assertTrue(active(user.principal().getString("access_token")));

      User refreshed = oauth2.refresh(user).await();
      assertFalse(refreshed.principal().getString("refresh_token").equals(user.principal().getString("refresh_token")));
    } finally {
      vertx.close().await();
    }
  }
}
