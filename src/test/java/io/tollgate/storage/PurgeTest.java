package io.tollgate.storage;

import static io.tollgate.TestTollgate.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.tollgate.TestTollgate;
import io.tollgate.storage.Purge.Purged;
import io.tollgate.storage.Revocations.Revoked;
import io.tollgate.storage.Revocations.Revoked.Kind;
import io.tollgate.tokens.OpaqueTokens;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Issue 7: the periodic purge deletes what can no longer matter and nothing that still does. Rows
 * come from the real flows of a running Tollgate, aged by SQL; the purge runs on a pool of its own.
 */
class PurgeTest {
  static final String PASSWORD_CLIENT = "b81cc4de-d192-400e-bcb4-09254394c52a:n3G7KAhcv8OH";
  static final String CODE_CLIENT_ID = "34ad67fa2f@hq.local.affinitylive.com";
  static final String CODE_CLIENT = CODE_CLIENT_ID + ":affinity-demo-secret";
  static final String REDIRECT = "https://app.example.com/callback";
  static TestTollgate tollgate;
  static Vertx vertx;
  static Pool sql;
  static Storage storage;
  static Purge purge;

  @BeforeAll
  static void start() {
    tollgate = TestTollgate.start("purge");
    vertx = Vertx.vertx();
    sql = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(tollgate.databaseUrl())).using(vertx).build();
    storage = Storage.postgres(sql, 600);
    purge = Purge.postgres(sql, 600, 900);
  }

  @AfterAll
  static void stop() {
    sql.close().await();
    vertx.close().await();
    tollgate.close();
  }

  @Test
  void aUsedCodeIsKeptADayPastExpirySoThatItsReplayStillRevokes() {
    String used = insertCode("now() + interval '60 seconds'");
    JsonObject tokens = exchange(used);
    assertTrue(introspect(tokens.getString("access_token")));
    age("authorization_codes", "expires_at = now() - interval '2 hours'", "code_hash", hash(used));
    String old = insertCode("now() - interval '2 days'");
    String fresh = insertCode("now() + interval '60 seconds'");

    assertTrue(purge.run().await().ran());

    assertEquals(0, count("SELECT count(*) FROM authorization_codes WHERE code_hash = $1", hash(old)));
    assertEquals(1, count("SELECT count(*) FROM authorization_codes WHERE code_hash = $1", hash(used)));
    // RFC 6749 §4.1.2: the late replay is refused and revokes what the first exchange issued
    assertEquals("invalid_grant", json(tollgate.postForm("/token", CODE_CLIENT, "grant_type", "authorization_code",
        "code", used, "redirect_uri", REDIRECT)).getString("error"));
    assertFalse(introspect(tokens.getString("access_token")));
    assertTrue(exchange(fresh).containsKey("access_token"), "the unexpired code still works");
  }

  @Test
  void expiredSessionsGoAndALiveOneStillKnowsItsUser() {
    byte[] ended = insertSession("now() - interval '1 minute'");
    byte[] live = insertSession("now() + interval '1 hour'");

    purge.run().await();

    assertEquals(0, count("SELECT count(*) FROM sessions WHERE session_hash = $1", Buffer.buffer(ended)));
    assertEquals("456", storage.sessions().user(live).await().id());
  }

  @Test
  void aFamilyGoesWithItsRefreshTokensOnlyWhenNoneOfThemCanStillBeUsed() {
    String live = login().getString("refresh_token");
    String rotated = login().getString("refresh_token");
    String successor = refresh(rotated).getString("refresh_token");
    age("refresh_tokens", "expires_at = now() - interval '2 days'", "token_hash", hash(rotated));
    // rotation slides the tokens' lifetime but not the family's: a family in use outlives its expires_at
    age("token_families", "expires_at = now() - interval '2 days'", "id", family(successor));
    String justExpired = login().getString("refresh_token");
    ageFamily(justExpired, "interval '1 minute'");
    String dead = login().getString("refresh_token");
    UUID deadFamily = family(dead);
    ageFamily(dead, "interval '2 days'");

    purge.run().await();

    assertEquals(0, count("SELECT count(*) FROM token_families WHERE id = $1", deadFamily));
    assertEquals(0, count("SELECT count(*) FROM refresh_tokens WHERE family_id = $1", deadFamily));
    assertEquals(0, count("SELECT count(*) FROM refresh_tokens WHERE token_hash = $1", hash(rotated)));
    // its access token may still be live, and the family revocable
    assertEquals(1, count("SELECT count(*) FROM refresh_tokens WHERE token_hash = $1", hash(justExpired)));
    assertEquals(200, refreshStatus(live));
    assertEquals(200, refreshStatus(successor), "the rotated token's family lives on in its successor");
  }

  @Test
  void aRevokedFamilyStaysKnownWhileItsAccessTokensMayBeLive() {
    JsonObject recent = login();
    UUID recentFamily = family(recent.getString("refresh_token"));
    revoke(recent.getString("refresh_token"));
    ageFamily(recent.getString("refresh_token"), "interval '2 days'");
    String longAgo = login().getString("refresh_token");
    UUID longAgoFamily = family(longAgo);
    revoke(longAgo);
    ageFamily(longAgo, "interval '2 days'");
    exec("UPDATE token_families SET revoked_at = now() - interval '2 days' WHERE id = $1", longAgoFamily);
    UUID longLived = revokedFamilyOfAClientWithLongAccessTokens();

    purge.run().await();

    assertEquals(0, count("SELECT count(*) FROM token_families WHERE id = $1", longAgoFamily));
    assertTrue(liveFamily(recentFamily), "a gateway reloading now still learns of it");
    assertTrue(liveFamily(longLived), "the client's own access TTL counts");
    assertFalse(introspect(recent.getString("access_token")));
  }

  @Test
  void aRevokedAccessTokenIsForgottenOnlyOnceItExpired() {
    String token = json(tollgate.postForm("/token", "s6BhdRkqt3:gX1fBat3bV", "grant_type", "client_credentials"))
        .getString("access_token");
    assertEquals(200, tollgate.postForm("/token/revoke", "s6BhdRkqt3:gX1fBat3bV", "token", token).statusCode());
    exec("INSERT INTO revoked_access_tokens (jti, expires_at) VALUES ('purge-old-jti', now() - interval '1 day')");

    purge.run().await();

    assertEquals(0, count("SELECT count(*) FROM revoked_access_tokens WHERE jti = 'purge-old-jti'"));
    String jti = claims(token).getString("jti");
    assertTrue(storage.revocations().live().await().stream()
        .anyMatch(r -> r.kind() == Kind.JTI && r.id().equals(jti)));
    assertFalse(introspect(token));
  }

  @Test
  void aRevocationIsReloadedForAsLongAsTheVerifiersClockLeewayKeepsItsTokenValid() {
    exec("INSERT INTO revoked_access_tokens (jti, expires_at) VALUES ('in-leeway-jti', now() - interval '10 seconds')");
    assertTrue(storage.revocations().live().await().stream()
        .anyMatch(r -> r.kind() == Kind.JTI && r.id().equals("in-leeway-jti")),
        "expired 10 s ago, but the verifier still accepts it for 30 s past exp");
  }

  @Test
  void staleLoginFailuresAreForgottenButALockoutHolds() {
    String locked = "purge-locked@example.com";
    for (int i = 0; i < 5; i++) {
      login(locked, "wrong-password-" + i);
    }
    // even with its last failure long ago, a lock that has not run out stays
    exec("UPDATE login_failures SET updated_at = now() - interval '1 day' WHERE username = $1", locked);
    exec("""
        INSERT INTO login_failures (username, failures, locked_until, updated_at) VALUES
          ('purge-stale', 3, NULL, now() - interval '1 day'),
          ('purge-lock-over', 5, now() - interval '2 hours', now() - interval '1 day'),
          ('purge-recent', 2, NULL, now())""");

    purge.run().await();

    assertEquals(0, count("SELECT count(*) FROM login_failures WHERE username IN ('purge-stale', 'purge-lock-over')"));
    assertEquals(1, count("SELECT count(*) FROM login_failures WHERE username = 'purge-recent'"));
    assertTrue(storage.loginAttempts().isLocked(locked).await());
    assertTrue(json(login(locked, "any-password-1")).getString("error_description").contains("too many"));
  }

  @Test
  void aLargeBacklogGoesInBatchesUntilNoneIsLeft() {
    exec("""
        INSERT INTO authorization_codes (code_hash, client_id, user_id, redirect_uri, scope, expires_at)
        SELECT sha256(convert_to('bulk-' || i, 'UTF8')), $1, '456', $2, 'profile', now() - interval '2 days'
        FROM generate_series(1, 2500) i""", CODE_CLIENT_ID, REDIRECT);

    Purged purged = purge.run().await();

    assertTrue(purged.deleted().get("authorization_codes") >= 2500, purged.toString());
    assertEquals(0, count("SELECT count(*) FROM authorization_codes WHERE expires_at < now() - interval '1 day'"));
  }

  @Test
  void whileAnotherInstancePurgesThisOneSkipsItsTurn() {
    byte[] ended = insertSession("now() - interval '1 minute'");
    SqlConnection elsewhere = sql.getConnection().await();
    try {
      elsewhere.query("SELECT pg_advisory_lock(" + PgPurge.LOCK_ID + ")").execute().await();
      assertFalse(purge.run().await().ran());
      assertEquals(1, count("SELECT count(*) FROM sessions WHERE session_hash = $1", Buffer.buffer(ended)));
      elsewhere.query("SELECT pg_advisory_unlock(" + PgPurge.LOCK_ID + ")").execute().await();
    } finally {
      elsewhere.close().await();
    }
    assertTrue(purge.run().await().ran());
    assertEquals(0, count("SELECT count(*) FROM sessions WHERE session_hash = $1", Buffer.buffer(ended)));
  }

  @Test
  void aPassWithoutADatabaseFailsWithOneWarningAndNoStackTrace() {
    ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(PgPurge.class);
    ListAppender<ILoggingEvent> events = new ListAppender<>();
    events.start();
    logger.addAppender(events);
    Pool nowhere = PgBuilder.pool()
        .connectingTo(new PgConnectOptions().setHost("127.0.0.1").setPort(1).setUser("x").setDatabase("x"))
        .using(vertx).build();
    try {
      assertTrue(Purge.postgres(nowhere, 600, 900).run()
          .transform(outcome -> Future.succeededFuture(outcome.failed())).await());
    } finally {
      nowhere.close().await();
      logger.detachAppender(events);
    }
    assertEquals(1, events.list.size());
    assertEquals(Level.WARN, events.list.get(0).getLevel());
    assertNull(events.list.get(0).getThrowableProxy());
  }

  private static UUID revokedFamilyOfAClientWithLongAccessTokens() {
    exec("""
        INSERT INTO clients (id, grant_type, refresh_tokens, access_ttl)
        VALUES ('purge-long-lived', 'client_credentials', true, 7200)""");
    UUID id = UUID.randomUUID();
    exec("""
        INSERT INTO token_families (id, client_id, created_at, expires_at, revoked_at)
        VALUES ($1, 'purge-long-lived', now() - interval '2 days', now() - interval '2 days',
                now() - interval '1 hour')""", id);
    return id;
  }

  private static boolean liveFamily(UUID family) {
    return storage.revocations().live().await().stream()
        .anyMatch((Revoked r) -> r.kind() == Kind.FAMILY && r.id().equals(family.toString()));
  }

  private static String insertCode(String expiresAt) {
    String code = OpaqueTokens.randomToken();
    exec("""
        INSERT INTO authorization_codes (code_hash, client_id, user_id, redirect_uri, scope, expires_at)
        VALUES ($1, $2, '456', $3, 'profile', %s)""".formatted(expiresAt), hash(code), CODE_CLIENT_ID, REDIRECT);
    return code;
  }

  private static JsonObject exchange(String code) {
    return json(tollgate.postForm("/token", CODE_CLIENT, "grant_type", "authorization_code", "code", code,
        "redirect_uri", REDIRECT));
  }

  private static byte[] insertSession(String expiresAt) {
    byte[] hash = OpaqueTokens.sha256(OpaqueTokens.randomToken());
    exec("INSERT INTO sessions (session_hash, user_id, expires_at) VALUES ($1, '456', %s)".formatted(expiresAt),
        Buffer.buffer(hash));
    return hash;
  }

  private static JsonObject login() {
    return json(login("demo@profix-it.nl", "demo-password"));
  }

  private static java.net.http.HttpResponse<String> login(String username, String password) {
    return tollgate.postForm("/token", PASSWORD_CLIENT, "grant_type", "password", "username", username,
        "password", password);
  }

  private static JsonObject refresh(String refreshToken) {
    return json(tollgate.postForm("/token", PASSWORD_CLIENT, "grant_type", "refresh_token",
        "refresh_token", refreshToken));
  }

  private static int refreshStatus(String refreshToken) {
    return tollgate.postForm("/token", PASSWORD_CLIENT, "grant_type", "refresh_token", "refresh_token", refreshToken)
        .statusCode();
  }

  private static void revoke(String refreshToken) {
    assertEquals(200, tollgate.postForm("/token/revoke", PASSWORD_CLIENT, "token", refreshToken).statusCode());
  }

  private static boolean introspect(String token) {
    return json(tollgate.postForm("/token/introspect", PASSWORD_CLIENT, "token", token)).getBoolean("active");
  }

  private static JsonObject claims(String jwt) {
    return new JsonObject(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8));
  }

  /** Every refresh token of the token's family, and the family itself, ended {@code ago}. */
  private static void ageFamily(String refreshToken, String ago) {
    UUID family = family(refreshToken);
    exec("UPDATE refresh_tokens SET expires_at = now() - %s WHERE family_id = $1".formatted(ago), family);
    exec("UPDATE token_families SET expires_at = now() - %s WHERE id = $1".formatted(ago), family);
  }

  private static UUID family(String refreshToken) {
    return sql.preparedQuery("SELECT family_id FROM refresh_tokens WHERE token_hash = $1")
        .execute(Tuple.of(hash(refreshToken))).await().iterator().next().getUUID(0);
  }

  private static void age(String table, String assignment, String key, Object value) {
    exec("UPDATE %s SET %s WHERE %s = $1".formatted(table, assignment, key), value);
  }

  private static Buffer hash(String token) {
    return Buffer.buffer(OpaqueTokens.sha256(token));
  }

  private static long count(String query, Object... args) {
    return sql.preparedQuery(query).execute(Tuple.from(args)).await().iterator().next().getLong(0);
  }

  private static void exec(String statement, Object... args) {
    sql.preparedQuery(statement).execute(Tuple.from(args)).await();
  }
}
