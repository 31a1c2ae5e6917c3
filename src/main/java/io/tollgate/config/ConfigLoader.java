package io.tollgate.config;

import io.tollgate.config.TollgateConfig.AccessLog;
import io.tollgate.config.TollgateConfig.ConsumerLogin;
import io.tollgate.config.TollgateConfig.Database;
import io.tollgate.config.TollgateConfig.Dev;
import io.tollgate.config.TollgateConfig.Endpoints;
import io.tollgate.config.TollgateConfig.Http;
import io.tollgate.config.TollgateConfig.Login;
import io.tollgate.config.TollgateConfig.Management;
import io.tollgate.config.TollgateConfig.PasswordHash;
import io.tollgate.config.TollgateConfig.RateLimit;
import io.tollgate.config.TollgateConfig.Route;
import io.tollgate.config.TollgateConfig.Security;
import io.tollgate.config.TollgateConfig.Signing;
import io.tollgate.config.TollgateConfig.SigningKey;
import io.tollgate.config.TollgateConfig.Tls;
import io.tollgate.config.TollgateConfig.Tokens;
import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Loads {@code tollgate.yaml}, applies the environment overrides, and validates everything at once. */
public final class ConfigLoader {
  public static final Path DEFAULT_FILE = Path.of("conf/tollgate.yaml");
  private static final Set<String> ALGORITHMS = Set.of("ES256", "RS256", "EdDSA", "HS256");

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
        .map(json -> parse(withEnvironment(json, env)));
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
    Tokens tokens = tokens(root.section("tokens"));
    Endpoints endpoints = endpoints(root.section("endpoints"));
    Security security = security(root.section("security"));
    List<Route> routes = root.sections("routes").stream().map(ConfigLoader::route).toList();
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
    root.finish();

    if (!issuer.startsWith("http://") && !issuer.startsWith("https://")) {
      problems.add("issuer: must be an http(s) URL, got \"" + issuer + "\"");
    }
    if (bootstrap != null && !Files.isRegularFile(bootstrap)) {
      problems.add("bootstrap: file " + bootstrap + " does not exist");
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return new TollgateConfig(
        http, issuer, audience, database, tokens, endpoints, security, routes, consumerLogin,
        bootstrap, dataDir, accessLog, management, dev);
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
    Tls tls = null;
    if (r.has("tls")) {
      ConfigReader t = r.section("tls");
      Path cert = existingFile(t, "cert");
      Path key = existingFile(t, "key");
      t.finish();
      tls = new Tls(cert, key);
    }
    r.finish();
    return new Http(host, port, instances, bodyLimit, tls, requestTimeout, grace);
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

  private static Tokens tokens(ConfigReader r) {
    int accessTtl = r.integer("accessTtl", 600, 1, 86_400);
    int refreshTtl = r.integer("refreshTtl", 2_592_000, 60, 365 * 86_400);
    int codeTtl = r.integer("codeTtl", 60, 1, 600);
    ConfigReader s = r.section("signing");
    String algorithm = s.string("algorithm", "ES256");
    if (!ALGORITHMS.contains(algorithm)) {
      s.problem("algorithm", "must be one of " + ALGORITHMS + ", got \"" + algorithm + "\"");
    }
    List<SigningKey> keys = new ArrayList<>();
    for (ConfigReader k : s.sections("keys")) {
      String kid = k.requiredString("kid");
      Path privateKey = k.has("private") ? existingFile(k, "private") : null;
      Path publicKey = k.has("public") ? existingFile(k, "public") : null;
      String secret = k.string("secret", null);
      boolean active = k.bool("active", false);
      if (privateKey == null && publicKey == null && secret == null) {
        k.problem("private", "a key needs private, public or secret");
      }
      if (secret != null && !"HS256".equals(algorithm)) {
        k.problem("secret", "only HS256 keys have a secret");
      }
      if (active && privateKey == null && secret == null) {
        k.problem("active", "a public-only key cannot sign");
      }
      k.finish();
      keys.add(new SigningKey(kid, privateKey, publicKey, secret, active));
    }
    if (keys.stream().filter(SigningKey::active).count() > 1) {
      s.problem("keys", "at most one key may be active (the one that signs)");
    }
    if (keys.stream().map(SigningKey::kid).distinct().count() < keys.size()) {
      s.problem("keys", "every kid must be unique");
    }
    s.finish();
    r.finish();
    return new Tokens(accessTtl, refreshTtl, codeTtl, new Signing(algorithm, List.copyOf(keys)));
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
    for (String p : paths) {
      if (!p.startsWith("/")) {
        r.problem(name, "path must start with /, got \"" + p + "\"");
      }
    }
    return paths;
  }

  private static Security security(ConfigReader r) {
    boolean inQuery = r.bool("allowClientCredentialsInQuery", false);
    boolean userAsClient = r.bool("userCredentialsAsClient", false);
    ConfigReader h = r.section("passwordHash");
    String algorithm = h.string("algorithm", "argon2id");
    if (!algorithm.equals("argon2id")) {
      h.problem("algorithm", "must be argon2id, got \"" + algorithm + "\"");
    }
    PasswordHash hash =
        new PasswordHash(
            algorithm,
            h.integer("memoryKiB", 19_456, 8, 4 * 1024 * 1024),
            h.integer("iterations", 2, 1, 100),
            h.integer("parallelism", 1, 1, 64));
    h.finish();
    ConfigReader l = r.section("login");
    Login login = new Login(l.integer("maxFailures", 5, 1, 1000), l.integer("lockSeconds", 900, 1, 86_400));
    l.finish();
    int minPasswordLength = r.integer("minPasswordLength", 10, 1, 1024);
    int sessionTtl = r.integer("sessionTtl", 28_800, 60, 30 * 86_400);
    ConfigReader rl = r.section("rateLimit");
    RateLimit rateLimit = new RateLimit(rl.bool("enabled", true),
        rl.integer("perAddressPerMinute", 1200, 1, 100_000_000), rl.integer("perClientPerMinute", 1200, 1, 100_000_000),
        rl.bool("trustForwardedFor", false));
    rl.finish();
    r.finish();
    return new Security(inQuery, userAsClient, hash, login, minPasswordLength, sessionTtl, rateLimit);
  }

  private static Route route(ConfigReader r) {
    List<String> hosts = r.strings("hosts", List.of("*"));
    String path = r.requiredString("path");
    if (path != null && !path.startsWith("/")) {
      r.problem("path", "must start with /, got \"" + path + "\"");
    } else if (path != null && (path.indexOf('?') >= 0 || path.indexOf('#') >= 0)) {
      r.problem("path", "a path prefix without query or fragment, got \"" + path + "\""); // routes match the whole target
    }
    List<URI> backends = new ArrayList<>();
    for (String backend : r.strings("backends", List.of())) {
      try {
        URI uri = URI.create(backend);
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
          r.problem("backends", "not an http(s) URL: \"" + backend + "\"");
        } else {
          backends.add(uri);
        }
      } catch (IllegalArgumentException e) {
        r.problem("backends", "not a URL: \"" + backend + "\"");
      }
    }
    if (!r.has("backends") || backends.isEmpty() && r.strings("backends", List.of()).isEmpty()) {
      r.problem("backends", "a route needs at least one backend");
    }
    List<String> scopes = r.strings("scopes", List.of());
    boolean isPublic = r.bool("public", false);
    boolean stripPrefix = r.bool("stripPrefix", false);
    int timeout = r.integer("timeout", 30_000, 1, 3_600_000);
    r.finish();
    return new Route(hosts, path, List.copyOf(backends), scopes, isPublic, stripPrefix, timeout);
  }

  private static Path existingFile(ConfigReader r, String name) {
    String value = r.requiredString(name);
    if (value == null) {
      return null;
    }
    Path path = Path.of(value);
    if (!Files.isRegularFile(path)) {
      r.problem(name, "file " + value + " does not exist");
    }
    return path;
  }

  private static Path path(String value) {
    return value == null ? null : Path.of(value);
  }
}
