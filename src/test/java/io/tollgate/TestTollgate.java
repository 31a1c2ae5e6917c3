package io.tollgate;

import io.tollgate.config.ConfigLoader;
import io.tollgate.config.TollgateConfig;
import io.tollgate.http.GuardedTransport;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** A real Tollgate on a random port with its own fresh database, for one test class. */
public final class TestTollgate implements AutoCloseable {
  private final Vertx vertx;
  private final Tollgate tollgate;
  private final String databaseUrl;
  private Path configFile;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private TestTollgate(Vertx vertx, Tollgate tollgate, String databaseUrl) {
    this.vertx = vertx;
    this.tollgate = tollgate;
    this.databaseUrl = databaseUrl;
  }

  /** The test configuration ({@code test-tollgate.yaml}) with a fresh database and data directory. */
  public static JsonObject config(String name) {
    try {
      String yaml = new String(TestTollgate.class.getResourceAsStream("/test-tollgate.yaml").readAllBytes());
      JsonObject json = new JsonObject(new org.yaml.snakeyaml.Yaml().<java.util.Map<String, Object>>load(yaml));
      json.getJsonObject("http").put("port", 0);
      json.put("database", new JsonObject().put("url", TestDatabases.fresh(name)).put("poolSize", 4));
      json.put("dataDir", Files.createTempDirectory("tollgate-test-data").toString());
      return json;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static TestTollgate start(String name) {
    return start(config(name));
  }

  public static TestTollgate start(JsonObject config) {
    return start(config, null);
  }

  /**
   * Starts from {@code file} as Main does, {@code config} written into it first, so that
   * {@link #reload()} reads it again (README, "Reload"); the environment overrides nothing.
   */
  public static TestTollgate startFromFile(JsonObject config, Path file) {
    write(file, config);
    TestTollgate started = start(config, file);
    started.configFile = file;
    return started;
  }

  private static TestTollgate start(JsonObject config, Path file) {
    TollgateConfig parsed = ConfigLoader.parse(config);
    // a tight blocked-thread check: anything slow on an event loop shows in the test log
    VertxOptions options = new VertxOptions()
        .setMaxEventLoopExecuteTime(200).setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
        .setBlockedThreadCheckInterval(100)
        .setWarningExceptionTime(200).setWarningExceptionTimeUnit(TimeUnit.MILLISECONDS);  // with the stack
    // the transport a started Tollgate uses (io_uring where it loads), so that the tests cover it
    Vertx vertx = GuardedTransport.vertx(options, GuardedTransport.named(System.getenv("TOLLGATE_TRANSPORT"), why -> { }));
    Tollgate tollgate = Tollgate.start(vertx, parsed, file, java.util.Map.of()).await();
    return new TestTollgate(vertx, tollgate, config.getJsonObject("database").getString("url"));
  }

  /** Writes {@code config} as the file a reload reads (JSON is YAML). */
  public static void write(Path file, JsonObject config) {
    try {
      Files.writeString(file, config.encodePrettily());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Re-reads the configuration file as SIGHUP does; the outcome says what was applied or refused. */
  public Reload.Outcome reload() {
    return tollgate.reload().await();
  }

  public Path configFile() {
    return configFile;
  }

  public TollgateConfig runningConfig() {
    return tollgate.config();
  }

  public int port() {
    return tollgate.port();
  }

  /** The plain 308 listener's port ({@code http.redirectPort}), or -1. */
  public int redirectPort() {
    return tollgate.redirectPort();
  }

  public int managementPort() {
    return tollgate.managementPort();
  }

  public URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + port() + pathAndQuery);
  }

  public String databaseUrl() {
    return databaseUrl;
  }

  public Vertx vertx() {
    return vertx;
  }

  public HttpResponse<String> get(String pathAndQuery) {
    return send(HttpRequest.newBuilder(uri(pathAndQuery)).GET().build());
  }

  /** POSTs a form body; {@code basic} is "id:secret" or null. */
  public HttpResponse<String> postForm(String path, String basic, String... pairs) {
    StringBuilder body = new StringBuilder();
    for (int i = 0; i + 1 < pairs.length; i += 2) {
      if (body.length() > 0) {
        body.append('&');
      }
      body.append(enc(pairs[i])).append('=').append(enc(pairs[i + 1]));
    }
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
    if (basic != null) {
      request.header("Authorization", "Basic " + java.util.Base64.getEncoder()
          .encodeToString(basic.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
    return send(request.build());
  }

  public static io.vertx.core.json.JsonObject json(HttpResponse<String> response) {
    return new io.vertx.core.json.JsonObject(response.body());
  }

  private static String enc(String s) {
    return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
  }

  public HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    // two steps: a future completed by vertx.close() would be dispatched on a context that is gone
    tollgate.stop().await();
    vertx.close().await();
  }
}
