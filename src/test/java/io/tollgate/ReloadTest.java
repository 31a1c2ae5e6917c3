package io.tollgate;

import static io.tollgate.TestTollgate.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * README "Reload" (CONTRACT §8.3): {@code POST /admin/reload} re-reads the configuration file and
 * applies routes, rate limits and the access log live, validated whole first; requests in flight
 * finish on the configuration they began with; restart-only keys are reported and left alone.
 */
class ReloadTest {
  static final String CLI = "admin-cli:admin-cli-secret";
  static final String CC_CLIENT = "s6BhdRkqt3:gX1fBat3bV";
  static final ListAppender<ILoggingEvent> log = new ListAppender<>();
  static final ListAppender<ILoggingEvent> accessLog = new ListAppender<>();

  static Vertx backends;
  static RecordingBackend recording;
  static int slowPort;
  static volatile CountDownLatch slowBegun = new CountDownLatch(1);
  /** Connections to the slow backend that Tollgate has closed. */
  static final java.util.concurrent.atomic.AtomicInteger slowClosed = new java.util.concurrent.atomic.AtomicInteger();
  static JsonObject base;
  static TestTollgate tollgate;

  @BeforeAll
  static void start() throws Exception {
    backends = Vertx.vertx();
    // answers half at once and the rest 2.5 s later: a request in flight across a reload
    HttpServer slow = backends.createHttpServer()
        .connectionHandler(connection -> connection.closeHandler(closed -> slowClosed.incrementAndGet()))
        .requestHandler(request -> {
      request.response().setChunked(true).write("first half;");
      slowBegun.countDown();
      backends.setTimer(2_500, id -> request.response().end("second half"));
    }).listen(0, "127.0.0.1").await();
    slowPort = slow.actualPort();
    recording = new RecordingBackend();
    base = TestTollgate.config("reload");
    base.put("routes", new JsonArray()
        .add(route("/slow/", "http://127.0.0.1:" + slowPort))
        .add(route("/old/", recording.url())));
    log.start();
    accessLog.start();
    ((Logger) LoggerFactory.getLogger(Reload.class)).addAppender(log);
    ((Logger) LoggerFactory.getLogger("tollgate.access")).addAppender(accessLog);
    tollgate = TestTollgate.startFromFile(base, Files.createTempFile("tollgate-reload", ".yaml"));
  }

  @AfterAll
  static void stop() {
    ((Logger) LoggerFactory.getLogger(Reload.class)).detachAppender(log);
    ((Logger) LoggerFactory.getLogger("tollgate.access")).detachAppender(accessLog);
    tollgate.close();
    recording.close();
    backends.close().await();
  }

  /** Every test begins from the base file, reloaded. */
  @BeforeEach
  void backToBase() {
    write(base);
    assertFalse(tollgate.reload().refused());
  }

  static JsonObject route(String path, String backend) {
    return new JsonObject().put("path", path).put("backends", new JsonArray().add(backend)).put("public", true);
  }

  static void write(JsonObject config) {
    TestTollgate.write(tollgate.configFile(), config);
  }

  static JsonObject withRoutes(JsonObject... routes) {
    return base.copy().put("routes", new JsonArray(List.of((Object[]) routes)));
  }

  HttpResponse<String> adminReload(String token) {
    HttpRequest.Builder request = HttpRequest.newBuilder(tollgate.uri("/admin/reload"))
        .POST(HttpRequest.BodyPublishers.noBody());
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return tollgate.send(request.build());
  }

  String adminToken() {
    return json(tollgate.postForm("/token", CLI, "grant_type", "password", "username", "admin@profix-it.nl",
        "password", "admin-password", "scope", "admin")).getString("access_token");
  }

  @Test
  void aRouteAddedAndRemovedWhileASlowRequestOnTheOldRouteCompletesIntact() throws Exception {
    slowBegun = new CountDownLatch(1);
    java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
    CompletableFuture<HttpResponse<String>> inFlight = client.sendAsync(
        HttpRequest.newBuilder(tollgate.uri("/slow/stream")).build(), HttpResponse.BodyHandlers.ofString());
    assertTrue(slowBegun.await(10, TimeUnit.SECONDS), "the slow backend got the request");
    int closedBefore = slowClosed.get();

    // /slow/ removed, /new/ added, while the slow answer is half sent
    write(withRoutes(route("/old/", recording.url()), route("/new/", recording.url())));
    Reload.Outcome outcome = tollgate.reload();
    assertEquals(List.of(), outcome.problems());
    assertTrue(outcome.applied().contains("routes"), outcome.applied().toString());
    recording.clear();
    assertEquals(200, tollgate.get("/new/thing").statusCode(), "the added route answers at once");
    assertEquals(List.of("GET /new/thing HTTP/1.1"), recording.requestLines());
    assertEquals(404, tollgate.get("/slow/stream").statusCode(), "the removed route is gone for new requests");

    HttpResponse<String> slow = inFlight.get(20, TimeUnit.SECONDS);
    assertEquals(200, slow.statusCode());
    assertEquals("first half;second half", slow.body(), "the request in flight finished on its configuration");
    // then the old configuration's pooled connection is closed (it would otherwise idle for a minute)
    for (int i = 0; i < 100 && slowClosed.get() == closedBefore; i++) {
      Thread.sleep(50);
    }
    assertEquals(closedBefore + 1, slowClosed.get(), "the retired backend pool is closed once its request ended");
  }

  @Test
  void aFileWithAProblemChangesNothingAndSaysEveryProblem() {
    int logged = log.list.size();
    JsonObject broken = withRoutes(route("/old/", recording.url()), route("/new/", recording.url()),
        new JsonObject().put("path", "/nobackend/"));
    broken.put("noSuchKey", true);
    write(broken);

    HttpResponse<String> answer = adminReload(adminToken());
    assertEquals(409, answer.statusCode(), answer.body());
    JsonObject body = json(answer);
    assertEquals("conflict", body.getString("error"));
    List<String> problems = body.getJsonArray("problems").stream().map(Object::toString).toList();
    assertEquals(2, problems.size(), problems.toString());
    assertTrue(problems.stream().anyMatch(p -> p.contains("noSuchKey")), problems.toString());
    assertTrue(problems.stream().anyMatch(p -> p.contains("backends")), problems.toString());

    List<String> lines = log.list.stream().skip(logged).map(ILoggingEvent::getFormattedMessage).toList();
    assertEquals(2, lines.stream().filter(line -> line.startsWith("reload refused, nothing changed:")).count(),
        "one line per problem: " + lines);
    assertEquals(404, tollgate.get("/new/thing").statusCode(), "nothing of the file was applied");
    assertEquals(200, tollgate.get("/old/thing").statusCode(), "the old routes still answer");
  }

  @Test
  void aRestartOnlyKeyIsReportedAndLeftAlone() {
    int logged = log.list.size();
    JsonObject changed = withRoutes(route("/old/", recording.url()), route("/new/", recording.url()));
    changed.getJsonObject("http").put("port", tollgate.port() + 1).put("instances", 2);
    write(changed);

    HttpResponse<String> answer = adminReload(adminToken());
    assertEquals(200, answer.statusCode(), answer.body());
    JsonObject body = json(answer);
    assertEquals(List.of("http.port", "http.instances"), body.getJsonArray("restartRequired").getList());
    assertTrue(body.getJsonArray("applied").contains("routes"), body.encode());

    List<String> lines = log.list.stream().skip(logged).map(ILoggingEvent::getFormattedMessage)
        .filter(line -> line.contains("need a restart")).toList();
    assertEquals(List.of("reload: these keys need a restart and keep their running values: http.port, http.instances"),
        lines, "one line names them all");
    assertEquals(0, tollgate.runningConfig().http().port(), "the running port is kept");
    assertEquals(200, tollgate.get("/new/thing").statusCode(), "the rest of the file was applied");
  }

  @Test
  void aRateLimitChangeTakesEffect() {
    for (int i = 0; i < 5; i++) {
      assertEquals(200, tollgate.postForm("/token", CC_CLIENT, "grant_type", "client_credentials").statusCode());
    }
    JsonObject strict = base.copy();
    strict.getJsonObject("security").put("rateLimit", new JsonObject().put("perAddressPerMinute", 2));
    write(strict);
    Reload.Outcome outcome = tollgate.reload();
    assertEquals(List.of("security.rateLimit", "bootstrap"), outcome.applied());

    assertEquals(200, tollgate.postForm("/token", CC_CLIENT, "grant_type", "client_credentials").statusCode());
    assertEquals(200, tollgate.postForm("/token", CC_CLIENT, "grant_type", "client_credentials").statusCode());
    HttpResponse<String> limited = tollgate.postForm("/token", CC_CLIENT, "grant_type", "client_credentials");
    assertEquals(429, limited.statusCode(), "the new limit counts from the reload");
    assertTrue(limited.headers().firstValue("Retry-After").isPresent());
  }

  @Test
  void theAccessLogIsSwitchedOffAndOn() throws Exception {
    JsonObject quiet = base.copy().put("accessLog", new JsonObject().put("enabled", false));
    write(quiet);
    assertEquals(List.of("accessLog", "bootstrap"), tollgate.reload().applied());
    int before = accessLog.list.size();
    assertEquals(200, tollgate.get("/old/quiet").statusCode());

    write(base.copy().put("accessLog", new JsonObject().put("format", "json")));
    tollgate.reload();
    assertEquals(200, tollgate.get("/old/loud").statusCode());
    // the line is written when the answer has gone out, which may be just after the caller read it
    for (int i = 0; i < 50 && accessLog.list.size() == before; i++) {
      Thread.sleep(20);
    }
    List<String> lines = accessLog.list.stream().skip(before).map(ILoggingEvent::getFormattedMessage).toList();
    assertEquals(1, lines.size(), "none while it was off, then one: " + lines);
    assertEquals("/old/loud", new JsonObject(lines.get(0)).getString("path"), "one JSON line");
  }

  @Test
  void reloadNeedsTheAdminScope() {
    HttpResponse<String> anonymous = adminReload(null);
    assertEquals(401, anonymous.statusCode());
    String clientToken = json(tollgate.postForm("/token", CC_CLIENT, "grant_type", "client_credentials"))
        .getString("access_token");
    HttpResponse<String> notAdmin = adminReload(clientToken);
    assertEquals(403, notAdmin.statusCode());
    assertEquals("insufficient_scope", json(notAdmin).getString("error"));

    HttpResponse<String> admin = adminReload(adminToken());
    assertEquals(200, admin.statusCode(), admin.body());
    assertEquals(List.of("bootstrap"), json(admin).getJsonArray("applied").getList(), "an unchanged file");
    assertEquals(405, tollgate.send(HttpRequest.newBuilder(tollgate.uri("/admin/reload"))
        .header("Authorization", "Bearer " + adminToken()).GET().build()).statusCode());
  }

  @Test
  void theBootstrapFileIsAppliedAgain() throws Exception {
    Path bootstrap = Files.createTempFile("tollgate-reload-bootstrap", ".yaml");
    String shipped = Files.readString(Path.of("conf/bootstrap.yaml"));
    Files.writeString(bootstrap, shipped.replace("clients:\n",
        "clients:\n  - { id: reloaded-client, secret: reloaded-secret-1, grant: client_credentials, scopes: [profile] }\n"));
    assertEquals(401, tollgate.postForm("/token", "reloaded-client:reloaded-secret-1",
        "grant_type", "client_credentials").statusCode());
    write(base.copy().put("bootstrap", bootstrap.toString()));
    assertTrue(tollgate.reload().applied().contains("bootstrap"));
    assertEquals(200, tollgate.postForm("/token", "reloaded-client:reloaded-secret-1",
        "grant_type", "client_credentials").statusCode());
  }

  @Test
  void aBootstrapFileWithAProblemChangesNothingEither() throws Exception {
    Path bootstrap = Files.createTempFile("tollgate-reload-bad-bootstrap", ".yaml");
    Files.writeString(bootstrap, "clients:\n  - { id: half-client, grant: no_such_grant, colour: blue }\n");
    JsonObject config = withRoutes(route("/old/", recording.url()), route("/new/", recording.url()));
    write(config.put("bootstrap", bootstrap.toString()));
    Reload.Outcome outcome = tollgate.reload();
    assertTrue(outcome.refused());
    assertTrue(outcome.problems().stream().allMatch(p -> p.startsWith("bootstrap")), outcome.problems().toString());
    assertTrue(outcome.problems().size() >= 2, "every problem of the file: " + outcome.problems());
    assertEquals(404, tollgate.get("/new/thing").statusCode(), "the valid configuration beside it was not applied");
  }
}
