package io.tollgate.grants;

import static io.tollgate.grants.GrantFixture.decide;
import static io.tollgate.grants.GrantFixture.refusal;
import static io.tollgate.grants.GrantFixture.tokens;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.tollgate.oauth.Client;
import io.tollgate.tokens.AccessToken;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link ClientCredentialsGrant} called directly, against the real PostgreSQL. */
class ClientCredentialsGrantUnitTest {
  static GrantFixture fixture;
  static ClientCredentialsGrant grant;
  static Client portalApp;

  @BeforeAll
  static void start() {
    fixture = GrantFixture.start("client_credentials_grant");
    grant = new ClientCredentialsGrant(fixture.issuer);
    portalApp = fixture.client("s6BhdRkqt3");
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  @Test
  void noScopeGivesTheClientsScopesAndARefreshTokenForTheClientItself() {
    GrantResult.Tokens tokens = tokens(decide(grant, portalApp, "grant_type=client_credentials"));
    assertEquals("profile", tokens.scope());
    assertNotNull(tokens.refreshToken(), "this client is configured for refresh tokens");
    AccessToken token = fixture.verifier.verify(tokens.accessToken());
    assertEquals("s6BhdRkqt3", token.subject());
    assertEquals("s6BhdRkqt3", token.clientId());
  }

  @Test
  void anAllowedScopeIsGranted() {
    assertEquals("profile", tokens(grant.handle(portalApp, new ClientCredentialsGrant.Request("profile"))).scope());
  }

  @Test
  void aScopeTheClientMayNotAskForIsInvalidScope() {
    assertEquals("invalid_scope",
        refusal(grant.handle(portalApp, new ClientCredentialsGrant.Request("profile admin"))).error().code());
  }

  @Test
  void aMalformedScopeIsInvalidScope() {
    assertEquals("invalid_scope",
        refusal(grant.handle(portalApp, new ClientCredentialsGrant.Request("pro\"file"))).error().code());
  }

  @Test
  void theParserTakesTheScopeAsSent() {
    assertEquals(new ClientCredentialsGrant.Request("profile orders"),
        grant.parse(io.tollgate.oauth.Form.parse("grant_type=client_credentials&scope=profile+orders", "test")).await());
  }
}
