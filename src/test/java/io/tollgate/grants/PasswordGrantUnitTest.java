package io.tollgate.grants;

import static io.tollgate.grants.GrantFixture.decide;
import static io.tollgate.grants.GrantFixture.refusal;
import static io.tollgate.grants.GrantFixture.tokens;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.tollgate.oauth.Client;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link PasswordGrant} called directly, against the real PostgreSQL and argon2 on its worker pool. */
class PasswordGrantUnitTest {
  static GrantFixture fixture;
  static PasswordGrant grant;
  static Client profix;
  static Client adminCli;

  @BeforeAll
  static void start() {
    fixture = GrantFixture.start("password_grant");
    grant = new PasswordGrant(fixture.login(), fixture.storage.users(), fixture.issuer);
    profix = fixture.client("b81cc4de-d192-400e-bcb4-09254394c52a");
    adminCli = fixture.client("admin-cli");
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  static PasswordGrant.Request demo(String password, String scope) {
    return new PasswordGrant.Request("demo@profix-it.nl", password, scope);
  }

  @Test
  void theRightPasswordGivesTokensWithTheScopesOfTheUsersRoles() {
    GrantResult.Tokens tokens = tokens(decide(grant, profix,
        "grant_type=password&username=demo%40profix-it.nl&password=demo-password"));
    assertEquals("profile orders", tokens.scope());
    assertNotNull(tokens.refreshToken());
    assertEquals("456", fixture.verifier.verify(tokens.accessToken()).subject());
  }

  @Test
  void aWrongPasswordIsInvalidGrant() {
    assertEquals("invalid_grant", refusal(grant.handle(profix, demo("not-the-password", null))).error().code());
  }

  @Test
  void anUnknownUserIsInvalidGrantLikeAWrongPassword() {
    assertEquals("invalid_grant", refusal(grant.handle(profix,
        new PasswordGrant.Request("nobody@profix-it.nl", "demo-password", null))).error().code());
  }

  @Test
  void aUserWhoMustChangeThePasswordGetsThatDemandAndNoToken() {
    GrantResult result = grant.handle(profix,
        new PasswordGrant.Request("support@profix-it.nl", "my-password", null)).await();
    assertEquals("123", assertInstanceOf(GrantResult.PasswordChangeRequired.class, result).userId());
  }

  @Test
  void aScopeNoneOfTheUsersRolesGrantsIsInvalidScope() {
    assertEquals("invalid_scope", refusal(grant.handle(adminCli, demo("demo-password", "admin"))).error().code());
  }

  @Test
  void aMissingPasswordIsInvalidRequest() {
    assertEquals("invalid_request",
        refusal(grant.parse(io.tollgate.oauth.Form.parse("username=demo%40profix-it.nl", "test"))).error().code());
  }

  @Test
  void theRequestNeverShowsThePassword() {
    assertFalse(demo("demo-password", null).toString().contains("demo-password"));
  }
}
