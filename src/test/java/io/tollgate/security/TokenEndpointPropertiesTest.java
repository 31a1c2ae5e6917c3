package io.tollgate.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tollgate.TestTollgate;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Random forms at the token endpoint: every answer is a well-formed OAuth success or error, and
 * the database stays consistent (no refresh token outside a family, no family of an unknown client,
 * no password touched).
 */
class TokenEndpointPropertiesTest {
  static final Set<String> ERRORS = Set.of("invalid_request", "invalid_client", "invalid_grant",
      "unauthorized_client", "unsupported_grant_type", "invalid_scope", "temporarily_unavailable");
  static TestTollgate tollgate;
  static Vertx vertx;
  static Pool sql;
  static String passwordsBefore;

  @BeforeContainer
  static void start() {
    JsonObject config = TestTollgate.config("properties");
    // thousands of requests from one address while shrinking: the rate limit is tested elsewhere
    config.getJsonObject("security").put("rateLimit", new JsonObject().put("enabled", false));
    tollgate = TestTollgate.start(config);
    vertx = Vertx.vertx();
    sql = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(tollgate.databaseUrl())).using(vertx).build();
    passwordsBefore = passwords();
  }

  @AfterContainer
  static void stop() {
    sql.close().await();
    vertx.close().await();
    tollgate.close();
  }

  @Property(tries = 250)
  void everyAnswerIsAWellFormedOAuthAnswer(@ForAll("forms") String body, @ForAll("credentials") String basic) {
    HttpRequest.Builder request = HttpRequest.newBuilder(tollgate.uri("/token"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (!basic.isEmpty()) {
      request.header("Authorization", "Basic " + basic);
    }
    HttpResponse<String> response = tollgate.send(request.build());
    assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""), body);
    JsonObject answer = new JsonObject(response.body());
    if (response.statusCode() == 200) {
      assertEquals("Bearer", answer.getString("token_type"), body);
      assertFalse(answer.getString("access_token", "").isBlank(), body);
    } else {
      assertTrue(response.statusCode() == 400 || response.statusCode() == 401, response.statusCode() + " for " + body);
      assertTrue(ERRORS.contains(answer.getString("error")), answer + " for " + body);
      assertFalse(answer.getString("error_description", "").isBlank(), body);
    }
    assertConsistent();
  }

  @Provide
  Arbitrary<String> forms() {
    Arbitrary<String> names = Arbitraries.of("grant_type", "scope", "username", "password", "refresh_token",
        "code", "client_id", "client_secret", "redirect_uri", "code_verifier", "x", "grant_type");
    Arbitrary<String> values = Arbitraries.oneOf(
        Arbitraries.of("client_credentials", "password", "refresh_token", "authorization_code", "code", "profile",
            "profile%20orders", "admin,profile", "demo%40profix-it.nl", "demo-password", "s6BhdRkqt3", "gX1fBat3bV",
            "%00", "%0d%0a", "%ff%fe", "%e2%82", "%", "%zz", "+", "=", "&&", ""),
        Arbitraries.strings().ofMaxLength(40),
        Arbitraries.strings().withCharRange('a', 'z').ofMinLength(200).ofMaxLength(2_000));
    Arbitrary<String> pair = Combinators.combine(names, values).as((n, v) -> n + "=" + v);
    return Arbitraries.oneOf(
        pair.list().ofMaxSize(6).map(pairs -> String.join("&", pairs)),
        Arbitraries.strings().ofMaxLength(300));
  }

  @Provide
  Arbitrary<String> credentials() {
    return Arbitraries.of("", "czZCaGRSa3F0MzpnWDFmQmF0M2JW" /* s6BhdRkqt3:gX1fBat3bV */,
        "YjgxY2M0ZGUtZDE5Mi00MDBlLWJjYjQtMDkyNTQzOTRjNTJhOm4zRzdLQWhjdjhPSA==" /* the password client */,
        "czZCaGRSa3F0Mzp3cm9uZw==" /* wrong secret */, "not base64!", "Og==" /* ":" */);
  }

  private static void assertConsistent() {
    Row row = sql.query("""
        SELECT (SELECT count(*) FROM refresh_tokens t LEFT JOIN token_families f ON f.id = t.family_id
                 WHERE f.id IS NULL) AS orphans,
               (SELECT count(*) FROM token_families f LEFT JOIN clients c ON c.id = f.client_id
                 WHERE c.id IS NULL) AS foreign_families,
               (SELECT count(*) FROM refresh_tokens t JOIN clients c ON c.id = t.client_id
                 WHERE NOT c.refresh_tokens) AS unwanted_refresh_tokens""").execute().await().iterator().next();
    assertEquals(List.of(0L, 0L, 0L),
        List.of(row.getLong("orphans"), row.getLong("foreign_families"), row.getLong("unwanted_refresh_tokens")));
    assertEquals(passwordsBefore, passwords(), "no password was touched");
  }

  private static String passwords() {
    StringBuilder all = new StringBuilder();
    sql.query("SELECT id, password_hash FROM users ORDER BY id").execute().await()
        .forEach(r -> all.append(r.getString(0)).append(r.getString(1)));
    return all.toString();
  }
}
