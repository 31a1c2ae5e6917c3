package io.tollgate.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/** The whole configuration, immutable and validated once by {@link ConfigLoader}. */
public record TollgateConfig(
    Http http,
    String issuer,
    List<String> audience,
    Database database,
    Tokens tokens,
    Endpoints endpoints,
    Security security,
    List<Route> routes,
    ConsumerLogin consumerLogin,
    Path bootstrap,
    Path dataDir,
    AccessLog accessLog,
    Management management,
    Dev dev,
    Tracing tracing) {

  /**
   * {@code requestTimeout}: milliseconds a token-service or login request may take, body included
   * (slow-body attacks); {@code shutdownGraceSeconds}: how long in-flight requests may take on SIGTERM.
   */
  public record Http(String host, int port, int instances, int bodyLimit, Tls tls, int requestTimeout,
      int shutdownGraceSeconds, int redirectPort) {}

  /** A separate listener for {@code /metrics} (and health), off the public one; absent = the public one. */
  public record Management(String host, int port) {}

  /**
   * {@code cert}/{@code key}: the default certificate (no SNI, or a name no host entry matches);
   * {@code hsts}: Strict-Transport-Security max-age, -1 = none; {@code engine}: "openssl" or "jdk";
   * {@code watch}: poll the files for changes (false: only SIGHUP reloads them); {@code ticketKeys}:
   * session ticket keys shared with other instances, null = each instance its own.
   */
  public record Tls(Path cert, Path key, List<TlsHost> hosts, List<String> protocols, boolean http2,
      String engine, int hsts, boolean watch, Path ticketKeys) {}

  /** A certificate chosen by SNI for {@code names} (exact, or {@code *.} for one label). */
  public record TlsHost(List<String> names, Path cert, Path key) {}

  /** An https backend's trust ({@code ca}: PEM bundle, null = the system's) and client certificate. */
  public record BackendTls(Path ca, Path cert, Path key) {}

  /** {@code url == null} means: run an embedded PostgreSQL under {@code dataDir/pg}. */
  public record Database(String url, int poolSize) {
    public boolean embedded() {
      return url == null;
    }
  }

  public record Tokens(int accessTtl, int refreshTtl, int codeTtl, Signing signing) {}

  /** {@code keys} empty means: generate a development key into {@code dataDir/keys}. */
  public record Signing(String algorithm, List<SigningKey> keys) {}

  /** A signing key: a PEM private key (signs), a PEM public key only (verifies), or an HS256 secret. */
  public record SigningKey(String kid, Path privateKey, Path publicKey, String secret, boolean active) {}

  public record Endpoints(
      List<String> authorization,
      List<String> token,
      List<String> changePassword,
      List<String> consumerLogin,
      List<String> revoke,
      List<String> introspect) {}

  public record Security(
      boolean allowClientCredentialsInQuery,
      boolean userCredentialsAsClient,
      PasswordHash passwordHash,
      Login login,
      int minPasswordLength,
      int sessionTtl,
      RateLimit rateLimit) {}

  /**
   * Token buckets per source address and per client for the token-service endpoints and the login
   * page: a burst of up to the per-minute figure, then that many per minute. {@code trustForwardedFor}:
   * behind a load balancer, the caller's address is the last {@code X-Forwarded-For} entry.
   */
  public record RateLimit(boolean enabled, int perAddressPerMinute, int perClientPerMinute,
      boolean trustForwardedFor) {}

  /** argon2id cost; the defaults are OWASP's 2023 minimum (19 MiB, 2 iterations, 1 lane). */
  public record PasswordHash(String algorithm, int memoryKiB, int iterations, int parallelism) {}

  public record Login(int maxFailures, int lockSeconds) {}

  public record Route(
      List<String> hosts,
      String path,
      List<URI> backends,
      List<String> scopes,
      boolean isPublic,
      boolean stripPrefix,
      int timeout,
      BackendTls tls,
      Cors cors) {}

  /**
   * A route's CORS policy (README, "Browsers (CORS)"), null = none: preflights from {@code origins} (exact) for
   * {@code methods} with {@code headers} are answered by the gateway; answers to those origins are readable.
   */
  public record Cors(List<String> origins, List<String> methods, List<String> headers, int maxAge) {}

  public record ConsumerLogin(String client) {}

  /** One line per request, as text or as JSON lines. */
  public record AccessLog(boolean enabled, boolean json) {}

  /**
   * Span export: {@code otlpEndpoint} is the OTLP/HTTP traces URL ({@code http://collector:4318/v1/traces}),
   * null = no export (request ids and trace context are passed on either way); {@code serviceName} is
   * the spans' {@code service.name}.
   */
  public record Tracing(URI otlpEndpoint, String serviceName) {}

  /** Development conveniences: an in-process echo backend for the README's walk-through. */
  public record Dev(int echoPort) {}
}
