package io.tollgate.config;

import io.tollgate.config.TollgateConfig.AccessLog;
import io.tollgate.config.TollgateConfig.ConsumerLogin;
import io.tollgate.config.TollgateConfig.Database;
import io.tollgate.config.TollgateConfig.Dev;
import io.tollgate.config.TollgateConfig.Endpoints;
import io.tollgate.config.TollgateConfig.Http;
import io.tollgate.config.TollgateConfig.Management;
import io.tollgate.config.TollgateConfig.Route;
import io.tollgate.config.TollgateConfig.Security;
import io.tollgate.config.TollgateConfig.Tls;
import io.tollgate.config.TollgateConfig.Tokens;
import io.tollgate.config.TollgateConfig.Tracing;
import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Loads {@code tollgate.yaml}, applies the environment overrides, and validates everything at once. */
public final class ConfigLoader {
  public static final Path DEFAULT_FILE = Path.of("conf/tollgate.yaml");

  private ConfigLoader() {}

  /** Reads {@code file} (YAML) with vertx-config; fails with a {@link ConfigException}. */
  public static Future<TollgateConfig> load(Vertx vertx, Path file, Map<String, String> env) {
    if (!Files.isRegularFile(file)) {
      return Future.failedFuture(
          new ConfigException(List.of("config: file " + file + " does not exist")));
    }
    ConfigStoreOptions yaml =
        new ConfigStoreOptions()
            .setType("file")
            .setFormat("yaml")
            .setConfig(new JsonObject().put("path", file.toString()));
    ConfigRetriever retriever =
        ConfigRetriever.create(vertx, new ConfigRetrieverOptions().setScanPeriod(-1).addStore(yaml));
    return retriever
        .getConfig()
        .eventually(retriever::close)
        .recover(
            err ->
                Future.failedFuture(
                    new ConfigException(
                        List.of("config: " + file + " is not valid YAML: " + err.getMessage()))))
        // the checks read files (every certificate and key, each signing once): on a worker, not the event loop
        .compose(json -> vertx.executeBlocking(() -> parse(withEnvironment(json, env)), false));
  }

  /** The documented environment overrides, applied over the file's values. */
  public static JsonObject withEnvironment(JsonObject json, Map<String, String> env) {
    JsonObject result = json.copy();
    override(env, "TOLLGATE_HTTP_PORT", result, "http", "port");
    override(env, "TOLLGATE_DATABASE_URL", result, "database", "url");
    override(env, "TOLLGATE_ISSUER", result, null, "issuer");
    override(env, "TOLLGATE_DATA_DIR", result, null, "dataDir");
    return result;
  }

  private static void override(
      Map<String, String> env, String variable, JsonObject json, String section, String key) {
    String value = env.get(variable);
    if (value == null || value.isBlank()) {
      return;
    }
    JsonObject target = json;
    if (section != null) {
      if (!(json.getValue(section) instanceof JsonObject)) {
        json.put(section, new JsonObject());
      }
      target = json.getJsonObject(section);
    }
    target.put(key, value);
  }

  /** Validates a configuration tree; throws a {@link ConfigException} listing every problem. */
  public static TollgateConfig parse(JsonObject json) {
    List<String> problems = new ArrayList<>();
    ConfigReader root = new ConfigReader(json, "", problems);
    Http http = http(root.section("http"));
    String issuer = root.string("issuer", "http://localhost:" + http.port());
    List<String> audience = root.strings("audience", List.of(issuer));
    Database database = database(root.section("database"));
    Tokens tokens = TokensSection.read(root.section("tokens"));
    Endpoints endpoints = endpoints(root.section("endpoints"));
    Security security = SecuritySection.read(root.section("security"));
    List<Route> routes = root.sections("routes").stream().map(RouteSection::read).toList();
    ConfigReader consumer = root.section("consumerLogin");
    ConsumerLogin consumerLogin = new ConsumerLogin(consumer.string("client", null));
    consumer.finish();
    Path bootstrap = path(root.string("bootstrap", null));
    Path dataDir = path(root.string("dataDir", "data"));
    AccessLog accessLog = accessLog(root.section("accessLog"));
    Management management = management(root, http);
    ConfigReader devSection = root.section("dev");
    Dev dev = new Dev(devSection.integer("echoPort", -1, -1, 65535));
    devSection.finish();
    Tracing tracing = tracing(root.section("tracing"));
    root.finish();

    if (!issuer.startsWith("http://") && !issuer.startsWith("https://")) {
      problems.add("issuer: must be an http(s) URL, got \"" + issuer + "\"");
    }
    if (bootstrap != null && !Files.isRegularFile(bootstrap)) {
      problems.add("bootstrap: file " + bootstrap + " does not exist");
    }
    // rules across sections: each would otherwise pass here and fail later, at start or per request
    if (security.userCredentialsAsClient() && consumerLogin.client() == null) {
      problems.add("security.userCredentialsAsClient: needs consumerLogin.client, the portal client that issues "
          + "the user's token");
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return new TollgateConfig(
        http, issuer, audience, database, tokens, endpoints, security, routes, consumerLogin,
        bootstrap, dataDir, accessLog, management, dev, tracing);
  }

  private static Tracing tracing(ConfigReader r) {
    ConfigReader otlp = r.section("otlp");
    URI endpoint = otlpEndpoint(otlp);
    otlp.finish();
    String serviceName = r.string("serviceName", "tollgate");
    if (serviceName.isBlank()) {
      r.problem("serviceName", "must not be empty");
    }
    r.finish();
    return new Tracing(endpoint, serviceName);
  }

  /** An http(s) URL with a host: the OTLP/HTTP exporter posts to it as given (OTLP's signal-specific endpoint). */
  private static URI otlpEndpoint(ConfigReader r) {
    String value = r.string("endpoint", null);
    if (value == null) {
      return null;
    }
    try {
      URI uri = new URI(value);
      if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
          && uri.getUserInfo() == null && uri.getFragment() == null) {
        return uri;
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    r.problem("endpoint", "must be an http(s) URL with a host and no user info, such as "
        + "http://collector:4318/v1/traces, got \"" + value + "\"");
    return null;
  }

  private static Management management(ConfigReader root, Http http) {
    if (!root.has("management")) {
      return null;
    }
    ConfigReader r = root.section("management");
    Management management = new Management(r.string("host", "127.0.0.1"), r.integer("port", 9091, 0, 65535));
    if (management.port() != 0 && management.port() == http.port()) {
      r.problem("port", "must differ from http.port");
    }
    r.finish();
    return management;
  }

  private static AccessLog accessLog(ConfigReader r) {
    boolean enabled = r.bool("enabled", true);
    String format = r.string("format", "text");
    if (!format.equals("text") && !format.equals("json")) {
      r.problem("format", "must be text or json, got \"" + format + "\"");
    }
    r.finish();
    return new AccessLog(enabled, format.equals("json"));
  }

  private static Http http(ConfigReader r) {
    String host = r.string("host", "0.0.0.0");
    int port = r.integer("port", 8080, 0, 65535);
    int instances = r.integer("instances", 0, 0, 256);
    int bodyLimit = r.integer("bodyLimit", 65536, 1024, 64 * 1024 * 1024);
    int requestTimeout = r.integer("requestTimeout", 10_000, 100, 600_000);
    int grace = r.integer("shutdownGraceSeconds", 30, 0, 3600);
    Tls tls = r.has("tls") ? TlsSection.read(r.section("tls")) : null;
    int redirectPort = r.integer("redirectPort", -1, 0, 65535);
    if (redirectPort >= 0 && tls == null) {
      r.problem("redirectPort", "needs http.tls: it redirects to the https listener");
    } else if (redirectPort > 0 && redirectPort == port) {
      r.problem("redirectPort", "must differ from http.port");
    }
    r.finish();
    return new Http(host, port, instances, bodyLimit, tls, requestTimeout, grace, redirectPort);
  }

  private static Database database(ConfigReader r) {
    String url = r.string("url", null);
    if (url != null && url.isBlank()) {
      url = null;
    }
    if (url != null && !url.startsWith("postgresql://") && !url.startsWith("postgres://")) {
      r.problem("url", "must start with postgresql://");
    }
    int poolSize = r.integer("poolSize", 16, 1, 1024);
    r.finish();
    return new Database(url, poolSize);
  }

  private static Endpoints endpoints(ConfigReader r) {
    Endpoints endpoints =
        new Endpoints(
            paths(r, "authorization", List.of("/Authorization", "/oauth2/authorize")),
            paths(r, "token", List.of("/token", "/authorization/token", "/oauth2/token")),
            paths(r, "changePassword", List.of("/token/ChangePassword")),
            paths(r, "consumerLogin", List.of("/consumer/login")),
            paths(r, "revoke", List.of("/token/revoke")),
            paths(r, "introspect", List.of("/token/introspect")));
    r.finish();
    return endpoints;
  }

  private static List<String> paths(ConfigReader r, String name, List<String> fallback) {
    List<String> paths = r.strings(name, fallback);
    if (paths.isEmpty()) {
      // the first path is the one the metadata publishes (RFC 8414 §2) and the login form posts to
      r.problem(name, "needs at least one path");
    }
    for (String p : paths) {
      if (!p.startsWith("/")) {
        r.problem(name, "path must start with /, got \"" + p + "\"");
      }
    }
    return paths;
  }

  private static Path path(String value) {
    return value == null ? null : Path.of(value);
  }
}
