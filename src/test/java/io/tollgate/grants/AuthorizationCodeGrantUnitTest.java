package io.tollgate.grants;

import static io.tollgate.grants.GrantFixture.refusal;
import static io.tollgate.grants.GrantFixture.tokens;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tollgate.oauth.Client;
import io.tollgate.oauth.Form;
import io.tollgate.storage.AuthorizationCodes;
import io.tollgate.tokens.OpaqueTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link AuthorizationCodeGrant} called directly, with codes stored as the login page stores them. */
class AuthorizationCodeGrantUnitTest {
  static final String AFFINITY = "34ad67fa2f@hq.local.affinitylive.com";
  static final String CALLBACK = "https://app.example.com/callback";
  // RFC 7636 Appendix B
  static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
  static final String CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
  static GrantFixture fixture;
  static AuthorizationCodeGrant grant;
  static Client affinity;
  static Client spa;

  @BeforeAll
  static void start() {
    fixture = GrantFixture.start("authorization_code_unit");
    grant = new AuthorizationCodeGrant(fixture.storage.codes(), fixture.storage.refreshTokens(), fixture.issuer);
    affinity = fixture.client(AFFINITY);
    spa = fixture.client("spa-public");
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  /** A code for user 456, as the authorization endpoint stores it. */
  static String code(String clientId, String redirectUri, String challenge) {
    String code = OpaqueTokens.randomToken();
    fixture.storage.codes().store(OpaqueTokens.sha256(code),
        new AuthorizationCodes.Code(clientId, "456", redirectUri, "profile", challenge), 60).await();
    return code;
  }

  static AuthorizationCodeGrant.Request request(String code, String redirectUri, String verifier) {
    return new AuthorizationCodeGrant.Request(code, redirectUri, verifier);
  }

  @Test
  void aCodeGivesAnAccessTokenForTheUser() {
    GrantResult.Tokens tokens = tokens(grant.handle(affinity, request(code(AFFINITY, CALLBACK, null), CALLBACK, null)));
    assertEquals("profile", tokens.scope());
    assertEquals("456", fixture.verifier.verify(tokens.accessToken()).subject());
  }

  @Test
  void aSecondUseIsInvalidGrantAndRevokesEveryTokenOfTheFirst() {
    String code = code(AFFINITY, CALLBACK, null);
    GrantResult.Tokens first = tokens(grant.handle(affinity, request(code, CALLBACK, null)));
    assertFalse(fixture.revoked(first.accessToken()));

    assertEquals("invalid_grant", refusal(grant.handle(affinity, request(code, CALLBACK, null))).error().code());
    assertTrue(fixture.revoked(first.accessToken()));
  }

  @Test
  void anotherRedirectUriThanTheAuthorizationRequestsIsInvalidGrant() {
    assertEquals("invalid_grant", refusal(grant.handle(affinity,
        request(code(AFFINITY, CALLBACK, null), "urn:ietf:wg:oauth:2.0:oob", null))).error().code());
  }

  @Test
  void noRedirectUriIsInvalidGrantForAClientWithSeveral() {
    assertEquals("invalid_grant",
        refusal(grant.handle(affinity, request(code(AFFINITY, CALLBACK, null), null, null))).error().code());
  }

  @Test
  void aCodeIssuedToAnotherClientIsInvalidGrant() {
    assertEquals("invalid_grant", refusal(grant.handle(affinity,
        request(code("spa-public", "https://spa.example/callback", CHALLENGE), CALLBACK, null))).error().code());
  }

  @Test
  void theRightCodeVerifierExchangesAPkceCodeWithoutRedirectUri() {
    String code = code("spa-public", "https://spa.example/callback", CHALLENGE);
    assertEquals("profile", tokens(grant.handle(spa, request(code, null, VERIFIER))).scope());
  }

  @Test
  void aWrongCodeVerifierIsInvalidGrant() {
    String code = code("spa-public", "https://spa.example/callback", CHALLENGE);
    assertEquals("invalid_grant", refusal(grant.handle(spa, request(code, null, VERIFIER.replace('d', 'e'))))
        .error().code());
  }

  @Test
  void aVerifierForACodeWithoutChallengeIsInvalidGrant() {
    assertEquals("invalid_grant",
        refusal(grant.handle(affinity, request(code(AFFINITY, CALLBACK, null), CALLBACK, VERIFIER))).error().code());
  }

  @Test
  void anUnknownCodeIsInvalidGrant() {
    assertEquals("invalid_grant", refusal(grant.handle(affinity, request("no-such-code", CALLBACK, null))).error().code());
  }

  @Test
  void theParserTakesRedirectUrlAsRedirectUri() {
    assertEquals(request("c", CALLBACK, null),
        grant.parse(Form.parse("code=c&redirect_url=" + CALLBACK, "test")).await());
  }

  @Test
  void differingRedirectUriAndRedirectUrlAreInvalidRequest() {
    assertEquals("invalid_request", refusal(grant.parse(Form.parse(
        "code=c&redirect_uri=" + CALLBACK + "&redirect_url=https://elsewhere.example/", "test"))).error().code());
  }

  @Test
  void aMissingCodeIsInvalidRequest() {
    assertEquals("invalid_request", refusal(grant.parse(Form.parse("redirect_uri=" + CALLBACK, "test"))).error().code());
  }
}
