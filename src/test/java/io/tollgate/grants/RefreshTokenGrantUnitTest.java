package io.tollgate.grants;

import static io.tollgate.grants.GrantFixture.refusal;
import static io.tollgate.grants.GrantFixture.tokens;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.tollgate.oauth.Client;
import io.tollgate.oauth.Form;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link RefreshTokenGrant} called directly, against the real PostgreSQL. */
class RefreshTokenGrantUnitTest {
  static GrantFixture fixture;
  static RefreshTokenGrant grant;
  static Client portalApp;
  static Client profix;

  @BeforeAll
  static void start() {
    fixture = GrantFixture.start("refresh_token_grant");
    grant = new RefreshTokenGrant(fixture.storage.refreshTokens(), fixture.issuer);
    portalApp = fixture.client("s6BhdRkqt3");
    profix = fixture.client("b81cc4de-d192-400e-bcb4-09254394c52a");
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  /** A refresh token of a new grant for the portal app. */
  static String refreshToken() {
    return tokens(fixture.issuer.issue(portalApp, null, "profile")).refreshToken();
  }

  static RefreshTokenGrant.Request request(String refreshToken, String... scopes) {
    return new RefreshTokenGrant.Request(refreshToken, Set.of(scopes));
  }

  @Test
  void aRefreshTokenGivesANewAccessTokenAndANewRefreshToken() {
    String first = refreshToken();
    GrantResult.Tokens next = tokens(grant.handle(portalApp, request(first)));
    assertEquals("profile", next.scope());
    assertNotNull(next.refreshToken());
    assertNotEquals(first, next.refreshToken());
  }

  @Test
  void aReusedRefreshTokenIsInvalidGrantAndRevokesTheFamily() {
    String first = refreshToken();
    GrantResult.Tokens next = tokens(grant.handle(portalApp, request(first)));
    assertFalse(fixture.revoked(next.accessToken()));

    assertEquals("invalid_grant", refusal(grant.handle(portalApp, request(first))).error().code());
    assertEquals("invalid_grant", refusal(grant.handle(portalApp, request(next.refreshToken()))).error().code(),
        "the rotated token dies with its family");
    assertEquals(true, fixture.revoked(next.accessToken()));
  }

  @Test
  void aWiderScopeThanTheOriginalGrantIsInvalidScope() {
    assertEquals("invalid_scope", refusal(grant.handle(portalApp, request(refreshToken(), "profile", "orders")))
        .error().code());
  }

  @Test
  void anotherClientsRefreshTokenIsInvalidGrant() {
    assertEquals("invalid_grant", refusal(grant.handle(profix, request(refreshToken()))).error().code());
  }

  @Test
  void anUnknownRefreshTokenIsInvalidGrant() {
    assertEquals("invalid_grant", refusal(grant.handle(portalApp, request("no-such-token"))).error().code());
  }

  @Test
  void aMissingRefreshTokenIsInvalidRequest() {
    assertEquals("invalid_request",
        refusal(grant.parse(Form.parse("grant_type=refresh_token&scope=profile", "test"))).error().code());
  }

  @Test
  void theParserSplitsTheScopeAndTheRequestNeverShowsTheToken() {
    RefreshTokenGrant.Request parsed = grant.parse(Form.parse("refresh_token=secret-rt&scope=a,b", "test")).await();
    assertEquals(Set.of("a", "b"), parsed.scope());
    assertFalse(parsed.toString().contains("secret-rt"));
  }
}
