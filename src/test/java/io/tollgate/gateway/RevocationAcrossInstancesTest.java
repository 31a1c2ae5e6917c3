package io.tollgate.gateway;

import static io.tollgate.TestTollgate.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tollgate.TestTollgate;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.net.http.HttpRequest;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * README "The gateway with curl" and "Operations", scaling out: a revocation made through one instance
 * reaches another instance's gateway within a second (LISTEN/NOTIFY), and a notification lost while
 * disconnected is made up by the reload.
 */
class RevocationAcrossInstancesTest {
  static final String PASSWORD_CLIENT = "b81cc4de-d192-400e-bcb4-09254394c52a:n3G7KAhcv8OH";
  static final String CC_CLIENT = "s6BhdRkqt3:gX1fBat3bV";

  static Vertx backendVertx;
  static TestTollgate first;
  static TestTollgate second;
  static Pool sql;

  @BeforeAll
  static void start() {
    backendVertx = Vertx.vertx();
    HttpServer backend = backendVertx.createHttpServer()
        .requestHandler(req -> req.response().end("{\"ok\":true}")).listen(0, "127.0.0.1").await();
    JsonObject config = TestTollgate.config("revocation");
    config.put("routes", new JsonArray().add(new JsonObject().put("path", "/echo/")
        .put("backends", new JsonArray().add("http://127.0.0.1:" + backend.actualPort()))));
    // same database and data directory (so the same signing key): two instances of one service
    first = TestTollgate.start(config);
    second = TestTollgate.start(config);
    sql = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(first.databaseUrl())).using(backendVertx).build();
  }

  @AfterAll
  static void stop() {
    second.close();
    first.close();
    sql.close().await();
    backendVertx.close().await();
  }

  @Test
  void aRevokedAccessTokenIsRefusedByTheOtherInstanceWithinASecond() {
    String token = json(first.postForm("/token", CC_CLIENT, "grant_type", "client_credentials")).getString("access_token");
    assertEquals(200, call(second, token), "valid before revocation (and now cached)");
    assertEquals(200, first.postForm("/token/revoke", CC_CLIENT, "token", token).statusCode());
    assertEquals(401, awaitStatus(second, token, 401, 1_000), "refused within a second");
    assertEquals(401, call(first, token), "and by the instance that revoked it");
  }

  @Test
  void aReplayedRefreshTokenRevokesTheFamilyOnEveryInstance() {
    JsonObject login = json(first.postForm("/token", PASSWORD_CLIENT, "grant_type", "password",
        "username", "demo@profix-it.nl", "password", "demo-password"));
    JsonObject rotated = json(first.postForm("/token", PASSWORD_CLIENT, "grant_type", "refresh_token",
        "refresh_token", login.getString("refresh_token")));
    String newer = rotated.getString("access_token");
    assertEquals(200, call(second, newer));
    JsonObject replay = json(first.postForm("/token", PASSWORD_CLIENT, "grant_type", "refresh_token",
        "refresh_token", login.getString("refresh_token")));
    assertEquals("invalid_grant", replay.getString("error"));
    assertEquals(401, awaitStatus(second, newer, 401, 1_000), "the rotated access token dies with the family");
    assertEquals(401, call(second, login.getString("access_token")), "and the first one too");
  }

  @Test
  void aPasswordChangeRevokesTheUsersTokensOnEveryInstance() {
    JsonObject login = json(first.postForm("/token", PASSWORD_CLIENT, "grant_type", "password",
        "username", "admin@profix-it.nl", "password", "admin-password"));
    String token = login.getString("access_token");
    assertEquals(200, call(second, token));
    assertEquals(200, first.postForm("/token/ChangePassword", PASSWORD_CLIENT, "userid", "1",
        "password", "admin-password", "newpassword", "a-new-admin-password").statusCode());
    assertEquals(401, awaitStatus(second, token, 401, 1_000));
  }

  @Test
  void aRevocationMissedWhileDisconnectedArrivesWithTheReload() {
    String token = json(first.postForm("/token", CC_CLIENT, "grant_type", "client_credentials")).getString("access_token");
    assertEquals(200, call(second, token));
    // revoke the family behind the gateways' backs: no NOTIFY, as if it had been sent while they were away
    sql.preparedQuery("UPDATE token_families SET revoked_at = now() WHERE id = $1")
        .execute(Tuple.of(UUID.fromString(claim(token, "sid")))).await();
    assertEquals(200, call(second, token), "nobody told the gateway yet");
    sql.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query ILIKE 'LISTEN%'").execute().await();
    assertEquals(401, awaitStatus(second, token, 401, 5_000), "the reload after reconnecting found it");
  }

  private static int call(TestTollgate tollgate, String token) {
    return tollgate.send(HttpRequest.newBuilder(tollgate.uri("/echo/x"))
        .header("Authorization", "Bearer " + token).build()).statusCode();
  }

  private static int awaitStatus(TestTollgate tollgate, String token, int wanted, long millis) {
    long deadline = System.currentTimeMillis() + millis;
    int status = call(tollgate, token);
    while (status != wanted && System.currentTimeMillis() < deadline) {
      sleep(20);
      status = call(tollgate, token);
    }
    return status;
  }

  static String claim(String jwt, String name) {
    return new JsonObject(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]))).getString(name);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
