package io.tollgate.authorize;

import static io.tollgate.TestTollgate.json;
import static io.tollgate.authorize.AuthorizeFixture.ONE_URI;
import static io.tollgate.authorize.AuthorizeFixture.ONE_URI_SECRET;
import static io.tollgate.authorize.AuthorizeFixture.authorizePath;
import static io.tollgate.authorize.AuthorizeFixture.location;
import static io.tollgate.authorize.AuthorizeFixture.query;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Two instances on one database behave as one service: a session or a code from one works on the other. */
class SharedDatabaseTest {
  static final String BASE = "https://client.example";
  static AuthorizeFixture first;
  static AuthorizeFixture second;

  @BeforeAll
  static void start() throws IOException {
    JsonObject config = AuthorizeFixture.config("shared_database", BASE);
    first = AuthorizeFixture.start(config, BASE);
    second = AuthorizeFixture.start(config.copy().put("dataDir",
        Files.createTempDirectory("tollgate-test-data").toString()), BASE);
  }

  @AfterAll
  static void stop() {
    second.close();
    first.close();
  }

  @Test
  void aSessionAndACodeFromOneInstanceWorkOnTheOther() {
    AuthorizeFixture.LoginPage page = first.open(authorizePath("client_id", ONE_URI));
    HttpResponse<String> login = first.post("/Authorization", page.cookies(),
        page.with("username", "alice@example.com", "password", "alice-password-1"));
    assertEquals(302, login.statusCode(), login.body());
    String cookies = AuthorizeFixture.cookies(login, page.cookies());

    HttpResponse<String> elsewhere = second.get(authorizePath("client_id", ONE_URI, "state", "b"), cookies);
    assertEquals(302, elsewhere.statusCode(), "the second instance knows the session: " + elsewhere.body());
    String code = query(location(elsewhere)).get("code");

    HttpResponse<String> exchanged = first.tollgate().postForm("/token", ONE_URI + ":" + ONE_URI_SECRET,
        "grant_type", "authorization_code", "code", code);
    assertEquals(200, exchanged.statusCode(), exchanged.body());
    HttpResponse<String> replayed = second.tollgate().postForm("/token", ONE_URI + ":" + ONE_URI_SECRET,
        "grant_type", "authorization_code", "code", code);
    assertEquals("invalid_grant", json(replayed).getString("error"));
  }
}
