package io.tollgate.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tollgate.TestDatabases;
import io.tollgate.config.BootstrapFile;
import io.tollgate.config.TollgateConfig;
import io.tollgate.crypto.PasswordHasher;
import io.tollgate.oauth.Client;
import io.tollgate.storage.Database;
import io.tollgate.storage.Storage;
import io.tollgate.tokens.OpaqueTokens;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The bootstrap file's client secrets at start-up (issue 6): an unchanged file does not cost an
 * argon2id verification per client, and every change still reaches the database.
 */
class BootstrapTest {
  static Vertx vertx;
  static Database database;
  static Storage storage;
  static PasswordHasher hasher;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    String url = TestDatabases.fresh("bootstrap");
    database = Database.open(vertx, url, new TollgateConfig.Database(url, 4)).await();
    storage = Storage.postgres(database.pool(), 600);
    hasher = PasswordHasher.create(vertx, new TollgateConfig.PasswordHash("argon2id", 1024, 1, 1));
  }

  @AfterAll
  static void stop() {
    database.close().await();
    vertx.close().await();
  }

  @Test
  void anUnchangedFileIsNotVerifiedAgainAtTheNextStart() throws Exception {
    Setup s = new Setup("unchanged", "first-secret-1");
    assertEquals(new Bootstrap.Applied(0, 0, 1), s.start(0));
    assertEquals(new Bootstrap.Applied(1, 0, 0), s.start(0));
    assertEquals(new Bootstrap.Applied(1, 0, 0), s.start(0));
    assertTrue(s.secretWorks("first-secret-1"));
  }

  @Test
  void aNewSecretInTheFileIsStoredAtTheNextStart() throws Exception {
    Setup s = new Setup("rotated", "first-secret-1");
    s.start(0);
    s.write("the-rotated-secret-2");
    assertEquals(new Bootstrap.Applied(0, 1, 1), s.start(0));
    assertTrue(s.secretWorks("the-rotated-secret-2"));
    assertFalse(s.secretWorks("first-secret-1"));
    assertEquals(new Bootstrap.Applied(1, 0, 0), s.start(0));
  }

  @Test
  void aHashChangedInTheDatabaseIsVerifiedAgain() throws Exception {
    Setup s = new Setup("changed-in-db", "first-secret-1");
    s.start(0);
    // as the admin API would: another secret for the client, stored as its hash
    Client client = storage.clients().find(s.clientId).await();
    storage.clients().upsert(new Client(client.id(), hasher.hash("set-by-the-admin-api").await(), client.grantType(),
        client.scopes(), client.defaultScopes(), client.redirectUris(), client.refreshTokens(), client.isPublic(),
        client.accessTtl(), client.refreshTtl(), client.webOrigins())).await();
    // the file's secret wins at every start, as before
    assertEquals(new Bootstrap.Applied(0, 1, 1), s.start(0));
    assertTrue(s.secretWorks("first-secret-1"));
  }

  @Test
  void aFileWrittenJustBeforeTheStartIsNeitherTrustedNorRecorded() throws Exception {
    // file times tick coarsely: a second write within one tick could keep the file's identity
    // (each start below follows a fresh write of the same content, well within SETTLED_MILLIS)
    Setup s = new Setup("racy", "first-secret-1");
    assertEquals(new Bootstrap.Applied(0, 0, 1), s.start(CheckedSecrets.SETTLED_MILLIS));
    s.write("first-secret-1");
    assertEquals(new Bootstrap.Applied(0, 1, 0), s.start(CheckedSecrets.SETTLED_MILLIS));
    assertFalse(Files.exists(s.dataDir.resolve(CheckedSecrets.FILE)));
    s.write("first-secret-1");
    assertEquals(new Bootstrap.Applied(0, 1, 0), Bootstrap.run(vertx, s.file, s.dataDir, storage, hasher).await());
  }

  @Test
  void theRecordHoldsNothingDerivedFromTheSecret() throws Exception {
    Setup s = new Setup("record", "first-secret-1");
    s.start(0);
    Path record = s.dataDir.resolve(CheckedSecrets.FILE);
    String text = Files.readString(record);
    byte[] digest = OpaqueTokens.sha256("first-secret-1");
    for (String form : new String[] {"first-secret-1", HexFormat.of().formatHex(digest),
        Base64.getEncoder().withoutPadding().encodeToString(digest),
        Base64.getUrlEncoder().withoutPadding().encodeToString(digest)}) {
      assertFalse(text.contains(form), text);
    }
    assertTrue(new JsonObject(text).getJsonObject("clients").containsKey(s.clientId), text);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(record)));
  }

  @Test
  void applyingAFileOpensNoConnectionBeyondTheOneThePoolHolds() throws Exception {
    // started together, its statements would each open a connection (a backend and a SCRAM exchange)
    String url = TestDatabases.fresh("bootstrap_connections");
    Database own = Database.open(vertx, url, new TollgateConfig.Database(url, 16)).await();
    try {
      assertEquals(1, own.pool().size());
      Path file = Files.createTempDirectory("tollgate-bootstrap").resolve("bootstrap.yaml");
      Files.writeString(file, """
          roles: [{ name: r1, scopes: [profile] }, { name: r2, scopes: [orders] }]
          clients:
            - { id: c1, secret: secret-one-1, grant: client_credentials, scopes: [profile] }
            - { id: c2, secret: secret-two-2, grant: password, scopes: [profile] }
            - { id: c3, public: true, grant: authorization_code, scopes: [profile],
                redirectUris: [https://c3.example/cb] }
          users:
            - { id: "1", username: one@example.com, password: password-one, roles: [r1] }
            - { id: "2", username: two@example.com, password: password-two, roles: [r2] }
          """);
      Storage storage = Storage.postgres(own.pool(), 600);
      Path dataDir = Files.createTempDirectory("tollgate-bootstrap-data");
      assertEquals(new Bootstrap.Applied(0, 0, 2), Bootstrap.run(vertx, file, dataDir, storage, hasher).await());
      assertEquals(new Bootstrap.Applied(0, 2, 0), Bootstrap.run(vertx, file, dataDir, storage, hasher).await());
      assertEquals(1, own.pool().size());
      assertTrue(hasher.verify(storage.users().findById("2").await().passwordHash(), "password-two").await());
      assertTrue(hasher.verify(storage.clients().find("c2").await().secretHash(), "secret-two-2").await());
    } finally {
      own.close().await();
    }
  }

  /** One client in a bootstrap file of its own, with its own data directory. */
  static final class Setup {
    final String clientId;
    final Path dataDir;
    final Path file;

    Setup(String clientId, String secret) throws Exception {
      this.clientId = clientId;
      this.dataDir = Files.createTempDirectory("tollgate-bootstrap-data");
      this.file = Files.createTempDirectory("tollgate-bootstrap").resolve("bootstrap.yaml");
      write(secret);
    }

    void write(String secret) throws Exception {
      Files.writeString(file, "clients:\n  - { id: " + clientId + ", secret: " + secret
          + ", grant: client_credentials, scopes: [profile] }\n");
    }

    /** What a start does: read the record, apply the file, keep the record. */
    Bootstrap.Applied start(long settledMillis) throws Exception {
      CheckedSecrets checked = CheckedSecrets.load(file, dataDir, settledMillis);
      JsonObject yaml = new JsonObject(new org.yaml.snakeyaml.Yaml().<java.util.Map<String, Object>>load(
          Files.readString(file)));
      Bootstrap.Applied applied = Bootstrap.apply(BootstrapFile.parse(yaml), storage, hasher, checked).await();
      checked.save();
      return applied;
    }

    boolean secretWorks(String secret) {
      return hasher.verify(storage.clients().find(clientId).await().secretHash(), secret).await();
    }
  }
}
