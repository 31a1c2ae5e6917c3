package io.tollgate.admin;

import io.tollgate.tokens.OpaqueTokens;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which bootstrap client secrets are known to match the hashes stored for them, so that a restart
 * with an unchanged bootstrap file does not verify each secret with argon2id again (issue 6: on one
 * core the first argon2id of a process costs ~85 ms, each later one ~15 ms). Nothing derived from
 * a secret is kept, here or in the database: the record ({@code dataDir/bootstrap-checked.json})
 * names the bootstrap file by its identity on disk (device, inode, size, modification and change
 * times) and holds, per client, a SHA-256 of the stored argon2id hash that the file's secret was
 * found to match (a digest of a salted slow hash, which tells nothing about the secret).
 *
 * <p>Why that is enough: a file with the same identity has the same content, so its secret still
 * matches that hash. Every write to a file moves its change time, which no tool can set back, and
 * any other stored hash (a secret rotated through the admin API, another database) differs from the
 * recorded one: both cases verify as before. File times tick coarsely, so a second write within the
 * same tick could keep the identity; a file written less than two seconds before the start is
 * therefore neither trusted nor recorded (git's "racy clean" rule), and neither is one that changed
 * while it was being applied. Losing the record only costs the verifications.
 *
 * <p>Every method blocks on the file system: call them from a worker.
 */
final class CheckedSecrets {
  private static final Logger log = LoggerFactory.getLogger(CheckedSecrets.class);
  static final String FILE = "bootstrap-checked.json";
  static final long SETTLED_MILLIS = 2_000;

  private final Path bootstrap;
  private final Path record;
  private final String identity;
  private final Map<String, String> known;
  private final Map<String, String> checked = new ConcurrentHashMap<>();

  private CheckedSecrets(Path bootstrap, Path record, String identity, Map<String, String> known) {
    this.bootstrap = bootstrap;
    this.record = record;
    this.identity = identity;
    this.known = known;
  }

  /** Nothing known, nothing kept. */
  static CheckedSecrets none() {
    return new CheckedSecrets(null, null, null, Map.of());
  }

  static CheckedSecrets load(Path bootstrap, Path dataDir) {
    return load(bootstrap, dataDir, SETTLED_MILLIS);
  }

  /** @param settledMillis how long ago the file must have been written to be trusted or recorded */
  static CheckedSecrets load(Path bootstrap, Path dataDir, long settledMillis) {
    if (bootstrap == null) {
      return none();
    }
    Path record = dataDir.resolve(FILE);
    String identity = identity(bootstrap, settledMillis);
    if (identity == null) {
      return none();
    }
    Map<String, String> known = new HashMap<>();
    try {
      if (Files.exists(record)) {
        JsonObject json = new JsonObject(Files.readString(record));
        if (identity.equals(json.getString("identity"))) {
          json.getJsonObject("clients", new JsonObject()).forEach(e -> known.put(e.getKey(), (String) e.getValue()));
        }
      }
    } catch (IOException | RuntimeException unreadable) {
      log.info("ignoring {}: {}", record, unreadable.getMessage());
    }
    return new CheckedSecrets(bootstrap, record, identity, known);
  }

  /** True when the bootstrap file's secret for this client was found to match exactly this stored hash. */
  boolean matches(String clientId, String storedHash) {
    String digest = known.get(clientId);
    return digest != null && digest.equals(digest(storedHash));
  }

  /** The hash now stored for this client matches the bootstrap file's secret. */
  void remember(String clientId, String storedHash) {
    checked.put(clientId, digest(storedHash));
  }

  /** Writes what {@link #remember} was told, if the bootstrap file is still the one that was applied. */
  void save() {
    if (record == null || !identity.equals(identity(bootstrap, 0))) {
      return;
    }
    JsonObject json = new JsonObject().put("bootstrap", bootstrap.toAbsolutePath().toString())
        .put("identity", identity).put("clients", new JsonObject(new HashMap<>(checked)));
    try {
      Files.createDirectories(record.getParent());
      Path tmp = Files.createTempFile(record.getParent(), FILE, ".tmp");
      try {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        Files.writeString(tmp, json.encodePrettily());
        move(tmp, record);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException | UnsupportedOperationException e) {
      log.info("cannot write {} ({}): every start verifies the bootstrap client secrets", record, e.getMessage());
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** The file's identity on disk, or null when it cannot be read or changed too recently to tell. */
  private static String identity(Path file, long settledMillis) {
    try {
      Path real = file.toRealPath();
      Map<String, Object> a = Files.readAttributes(real, "unix:dev,ino,size,lastModifiedTime,ctime");
      long modified = nanos(a.get("lastModifiedTime"));
      long changed = nanos(a.get("ctime"));
      long age = System.currentTimeMillis() - TimeUnit.NANOSECONDS.toMillis(Math.max(modified, changed));
      if (age < settledMillis) {
        return null;
      }
      return real + " " + a.get("dev") + " " + a.get("ino") + " " + a.get("size") + " " + modified + " " + changed;
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException noUnixView) {
      return null;
    }
  }

  private static long nanos(Object time) {
    return ((FileTime) time).to(TimeUnit.NANOSECONDS);
  }

  private static String digest(String storedHash) {
    return Base64.getEncoder().withoutPadding().encodeToString(OpaqueTokens.sha256(storedHash));
  }
}
