package io.tollgate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tollgate.config.TollgateConfig;
import io.tollgate.storage.Revocations.Revoked;
import io.tollgate.storage.Revocations.Revoked.Kind;
import io.tollgate.storage.Storage;
import io.tollgate.tokens.AccessToken;
import io.tollgate.tokens.SigningKeys;
import io.tollgate.tokens.TokenIds;
import io.tollgate.tokens.TokenMinter;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Introspection (RFC 7662) asks the database whether a token was revoked; the gateway and the admin
 * API ask the in-memory list that NOTIFY keeps current. The two rules are written twice (SQL in
 * PgRevocations, Java in RevocationList), so the same revocation cases go through both real paths
 * here, over HTTP: {@code /token/introspect} and a private gateway route must agree on every token,
 * above all at the millisecond boundary of a user's or client's "every token issued until now" mark.
 */
class RevocationRulesAgreeTest {
  static final String ISS = "https://api.profix-it.nl";
  static final String INTROSPECTOR = "admin-cli:admin-cli-secret";
  static Vertx vertx;
  static TestTollgate tollgate;
  static Pool sql;
  static Storage storage;
  static TokenMinter minter;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    HttpServer backend = vertx.createHttpServer().requestHandler(req -> req.response().end("{}"))
        .listen(0, "127.0.0.1").await();
    JsonObject config = TestTollgate.config("revocation_rules");
    config.put("routes", new JsonArray().add(new JsonObject().put("path", "/api/")
        .put("backends", new JsonArray().add("http://127.0.0.1:" + backend.actualPort()))));
    tollgate = TestTollgate.start(config);
    sql = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(tollgate.databaseUrl())).using(vertx).build();
    storage = Storage.postgres(sql, 600);
    SigningKeys keys = SigningKeys.load(new TollgateConfig.Signing("ES256", List.of()),
        Path.of(config.getString("dataDir")));
    minter = TokenMinter.create(keys, ISS, List.of(ISS));
  }

  @AfterAll
  static void stop() {
    sql.close().await();
    tollgate.close();
    vertx.close().await();
  }

  @Test
  void introspectionAndTheGatewayAgreeOnEveryRevocationCase() throws Exception {
    String revokedJti = TokenIds.next(System.currentTimeMillis());
    storage.revocations().revokeAccessToken(revokedJti, now() + 600).await();
    UUID revokedFamily = storage.refreshTokens().newFamily("portal-consumer", "123", 3600).await();
    UUID liveFamily = storage.refreshTokens().newFamily("portal-consumer", "123", 3600).await();
    storage.refreshTokens().revokeFamily(revokedFamily).await();
    storage.clients().revokeTokens("s6BhdRkqt3").await();
    storage.users().revokeTokens("456").await();
    long clientMark = mark(Kind.CLIENT, "s6BhdRkqt3");
    long userMark = mark(Kind.USER, "456");

    Map<String, Boolean> expected = new LinkedHashMap<>();
    Map<String, String> tokens = new LinkedHashMap<>();
    case_(tokens, expected, "revoked jti", token(revokedJti, "123", "portal-consumer", null, now()), true);
    case_(tokens, expected, "another jti", token(TokenIds.next(System.currentTimeMillis()), "123",
        "portal-consumer", null, now()), false);
    case_(tokens, expected, "revoked family", token(TokenIds.next(System.currentTimeMillis()), "123",
        "portal-consumer", revokedFamily.toString(), now()), true);
    case_(tokens, expected, "live family", token(TokenIds.next(System.currentTimeMillis()), "123",
        "portal-consumer", liveFamily.toString(), now()), false);
    markCases(tokens, expected, "client", clientMark, "s6BhdRkqt3", "s6BhdRkqt3");
    markCases(tokens, expected, "user", userMark, "456", "portal-consumer");

    for (Map.Entry<String, String> token : tokens.entrySet()) {
      boolean revoked = expected.get(token.getKey());
      assertEquals(!revoked, introspectedActive(token.getValue()), "introspection: " + token.getKey());
      assertEquals(revoked ? 401 : 200, gatewayStatus(token.getValue(), revoked ? 401 : 200),
          "gateway: " + token.getKey());
    }
  }

  /**
   * Tokens issued one millisecond before, at, and one after the mark (UUIDv7 jti, RFC 9562 §5.7), and
   * tokens whose jti carries no time, judged by {@code iat} in whole seconds: revoked when in doubt.
   */
  private static void markCases(Map<String, String> tokens, Map<String, Boolean> expected, String kind, long mark,
      String subject, String client) {
    for (long delta : new long[] {-1, 0, 1}) {
      long issued = mark + delta;
      case_(tokens, expected, kind + " mark " + (delta < 0 ? "" : "+") + delta + " ms",
          token(TokenIds.next(issued), subject, client, null, issued / 1000), delta <= 0);
    }
    long second = mark / 1000;
    case_(tokens, expected, kind + " mark, opaque jti, iat in the mark's second",
        token("opaque-" + kind + "-0", subject, client, null, second), true);
    case_(tokens, expected, kind + " mark, opaque jti, iat a second later",
        token("opaque-" + kind + "-1", subject, client, null, second + 1), false);
  }

  private static void case_(Map<String, String> tokens, Map<String, Boolean> expected, String name, String jwt,
      boolean revoked) {
    tokens.put(name, jwt);
    expected.put(name, revoked);
  }

  private static String token(String jti, String subject, String client, String sid, long issuedAt) {
    return minter.mint(new AccessToken(jti, subject, client, "profile", issuedAt, now() + 600, sid, List.of(ISS)));
  }

  /** The not-before mark (epoch ms) the database announces for this client or user. */
  private static long mark(Kind kind, String id) {
    return storage.revocations().live().await().stream()
        .filter(r -> r.kind() == kind && r.id().equals(id)).mapToLong(Revoked::notBefore).max().orElseThrow();
  }

  private static boolean introspectedActive(String jwt) {
    return TestTollgate.json(tollgate.postForm("/token/introspect", INTROSPECTOR, "token", jwt)).getBoolean("active");
  }

  /** The gateway's answer, given the NOTIFY a moment to arrive (the README promises every instance within a second). */
  private static int gatewayStatus(String jwt, int awaited) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 2_000;
    int status;
    do {
      status = tollgate.send(HttpRequest.newBuilder(tollgate.uri("/api/x")).header("Authorization", "Bearer " + jwt)
          .build()).statusCode();
      if (status == awaited) {
        return status;
      }
      Thread.sleep(50);
    } while (System.currentTimeMillis() < deadline);
    return status;
  }

  private static long now() {
    return System.currentTimeMillis() / 1000;
  }
}
