package io.tollgate.ops;

import static io.tollgate.TestTollgate.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tollgate.TestTollgate;
import io.tollgate.storage.EmbeddedPostgres;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Issue 15: clients are kept in memory, so that while PostgreSQL is down a cached client without
 * refresh tokens still gets its grant (no database round trip), while a grant that writes a
 * refresh token or reads a user is 503 as before; and after the listening connection comes back
 * every cached client is read again. A PostgreSQL of its own, really stopped and started again.
 */
class ClientsThroughOutageTest {
  static final String PLAIN = "plain-cc:plain-cc-secret";
  static final String WITH_REFRESH = "refreshing-cc:refreshing-cc-secret";

  @Test
  void cachedClientsOutliveTheDatabaseAndAreReadAgainAfterTheListenerReconnects() throws Exception {
    EmbeddedPostgres pg = EmbeddedPostgres.start(Files.createTempDirectory("tollgate-clients-outage"), false);
    Vertx vertx = Vertx.vertx();
    Pool sql = null;
    TestTollgate tollgate = null;
    try {
      Path file = Files.createTempDirectory("tollgate-bootstrap").resolve("bootstrap.yaml");
      Files.writeString(file, """
          clients:
            - { id: plain-cc, secret: plain-cc-secret, grant: client_credentials, scopes: [profile] }
            - { id: refreshing-cc, secret: refreshing-cc-secret, grant: client_credentials, scopes: [profile],
                refreshTokens: true }
            - { id: password-app, secret: password-app-secret, grant: password, scopes: [profile] }
          users:
            - { id: "7", username: seven@example.com, password: password-seven }
          """);
      JsonObject config = TestTollgate.config("clients_outage").put("bootstrap", file.toString());
      config.put("database", new JsonObject().put("url", pg.url()).put("poolSize", 4));
      tollgate = TestTollgate.start(config);
      TestTollgate t = tollgate;
      assertEquals("profile", scope(t, PLAIN), "and now cached");
      assertEquals(200, grant(t, WITH_REFRESH));
      assertEquals(200, password(t));

      // a change this instance is never told about: what it would miss while not listening
      sql = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(pg.url())).using(vertx).build();
      sql.query("UPDATE clients SET scopes = '{profile,orders}' WHERE id = 'plain-cc'").execute().await();

      pg.suspend();
      HttpResponse<String> cached = t.postForm("/token", PLAIN, "grant_type", "client_credentials");
      assertEquals(200, cached.statusCode(), "no database needed: " + cached.body());
      assertEquals("profile", json(cached).getString("scope"), "the cached client, as it was");
      assertEquals(503, grant(t, WITH_REFRESH), "a refresh token must be stored");
      assertEquals(503, password(t), "the user must be read");

      pg.resume();
      assertTrue(eventually(() -> "profile orders".equals(scope(t, PLAIN))),
          "the listener is back and every cached client was dropped");
      assertEquals(200, grant(t, WITH_REFRESH));
    } finally {
      if (tollgate != null) {
        tollgate.close();
      }
      if (sql != null) {
        sql.close();
      }
      vertx.close().await();
      pg.close();
    }
  }

  private static int grant(TestTollgate t, String basic) {
    return t.postForm("/token", basic, "grant_type", "client_credentials").statusCode();
  }

  private static String scope(TestTollgate t, String basic) {
    return json(t.postForm("/token", basic, "grant_type", "client_credentials")).getString("scope");
  }

  private static int password(TestTollgate t) {
    return t.postForm("/token", "password-app:password-app-secret", "grant_type", "password",
        "username", "seven@example.com", "password", "password-seven").statusCode();
  }

  private static boolean eventually(Supplier<Boolean> condition) {
    long deadline = System.currentTimeMillis() + 20_000;
    while (System.currentTimeMillis() < deadline) {
      if (condition.get()) {
        return true;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return false;
  }
}
