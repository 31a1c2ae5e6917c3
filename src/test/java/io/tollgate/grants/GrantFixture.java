package io.tollgate.grants;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tollgate.TestTollgate;
import io.tollgate.accounts.Accounts;
import io.tollgate.accounts.UserLogin;
import io.tollgate.admin.Bootstrap;
import io.tollgate.config.ConfigLoader;
import io.tollgate.config.TollgateConfig;
import io.tollgate.crypto.CryptoProviders;
import io.tollgate.crypto.PasswordHasher;
import io.tollgate.oauth.Client;
import io.tollgate.oauth.Form;
import io.tollgate.oauth.OAuthException;
import io.tollgate.storage.Database;
import io.tollgate.storage.Storage;
import io.tollgate.tokens.AccessToken;
import io.tollgate.tokens.AccessTokenVerifier;
import io.tollgate.tokens.SigningKeys;
import io.tollgate.tokens.TokenIds;
import io.tollgate.tokens.TokenMinter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The grants without HTTP: a fresh database with the demo identities of {@code conf/bootstrap.yaml},
 * the real storage, hasher and signing keys, and a {@link TokenIssuer} over them, so that a test
 * calls a grant class directly.
 */
final class GrantFixture implements AutoCloseable {
  final Vertx vertx;
  final TollgateConfig config;
  final Storage storage;
  final PasswordHasher hasher;
  final TokenIssuer issuer;
  final AccessTokenVerifier verifier;
  private final Database database;

  private GrantFixture(Vertx vertx, TollgateConfig config, Database database, PasswordHasher hasher,
      TokenMinter minter, AccessTokenVerifier verifier) {
    this.vertx = vertx;
    this.config = config;
    this.database = database;
    this.storage = Storage.postgres(database.pool(), config.tokens().accessTtl());
    this.hasher = hasher;
    this.issuer = new TokenIssuer(minter, storage.refreshTokens(), config.tokens(), config.audience());
    this.verifier = verifier;
  }

  static GrantFixture start(String name) {
    TollgateConfig config = ConfigLoader.parse(TestTollgate.config(name));
    // the tight blocked-thread check of TestTollgate: a grant that blocks an event loop shows in the log
    Vertx vertx = Vertx.vertx(new VertxOptions()
        .setMaxEventLoopExecuteTime(200).setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
        .setBlockedThreadCheckInterval(100));
    Database database = Database.open(vertx, config.database().url(), config.database()).await();
    PasswordHasher hasher = PasswordHasher.create(vertx, config.security().passwordHash());
    CryptoProviders.install();
    SigningKeys keys = SigningKeys.load(config.tokens().signing(), config.dataDir());
    GrantFixture fixture = new GrantFixture(vertx, config, database, hasher,
        TokenMinter.create(keys, config.issuer(), config.audience()),
        AccessTokenVerifier.create(keys, config.issuer(), config.audience(), 60));
    Bootstrap.run(vertx, config.bootstrap(), config.dataDir(), fixture.storage, hasher).await();
    return fixture;
  }

  UserLogin login() {
    return Accounts.create(storage, hasher, config.security()).login();
  }

  Client client(String id) {
    return storage.clients().find(id).await();
  }

  /** The grant's answer to {@code form}, parsed and decided as the token endpoint does. */
  static <R> Future<GrantResult> decide(GrantHandler<R> grant, Client client, String form) {
    return grant.parse(Form.parse(form, "test")).compose(request -> grant.handle(client, request));
  }

  /** The OAuth error a future failed with (waiting for it). */
  static OAuthException refusal(Future<?> future) {
    Throwable failure = future.transform(done -> done.succeeded()
        ? Future.failedFuture(new AssertionError("expected a refusal, got " + done.result().getClass().getSimpleName()))
        : Future.succeededFuture(done.cause())).await();
    return assertInstanceOf(OAuthException.class, failure);
  }

  static GrantResult.Tokens tokens(Future<GrantResult> future) {
    return assertInstanceOf(GrantResult.Tokens.class, future.await());
  }

  /** Whether the access token is revoked, by the rule introspection applies. */
  boolean revoked(String jwt) {
    AccessToken token = verifier.verify(jwt);
    assertTrue(token.sid() != null, "the token belongs to a family");
    return storage.revocations().isRevoked(token.jti(), UUID.fromString(token.sid()), token.clientId(),
        token.subject(), TokenIds.issuedMillis(token.jti(), token.issuedAt() * 1000)).await();
  }

  @Override
  public void close() {
    database.close().await();
    vertx.close().await();
  }
}
