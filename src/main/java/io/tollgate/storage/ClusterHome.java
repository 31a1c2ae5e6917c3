package io.tollgate.storage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Where the embedded PostgreSQL keeps its cluster and which operating-system user runs it.
 *
 * <p>Run by an ordinary user, the cluster is {@code dataDir/pg}, run as that user. Run as root,
 * PostgreSQL refuses to start as root, and its unprivileged user often cannot even reach the data
 * directory: a clone under {@code /root} or in a {@code mktemp -d} directory (both mode 0700).
 * Rather than open those directories up, the cluster then lives in a home of its own,
 * {@code /var/lib/tollgate-pg/<id>}, owned by the system user {@value #SYSTEM_USER} (created when
 * missing) and readable by nobody else; {@code <id>} is derived from the data directory's real path,
 * so every start from the same data directory finds the same cluster. A cluster an earlier version
 * left in {@code dataDir/pg} as root is kept where it is and run as its owner.
 */
record ClusterHome(Path cluster, Path passwordFile, String runAs, boolean separate) {
  static final String SYSTEM_USER = "tollgate-pg";
  static final Path ROOT_HOMES = Path.of("/var/lib/tollgate-pg");

  /** {@code runAs} null: this process's own user. */
  static ClusterHome of(Path dataDir) throws IOException {
    Path absolute = dataDir.toAbsolutePath();
    Path inPlace = absolute.resolve("pg");
    if (!isRoot()) {
      return new ClusterHome(inPlace, absolute.resolve("pg.password"), null, false);
    }
    if (Files.exists(inPlace.resolve("PG_VERSION"))) {
      String owner = Files.getOwner(inPlace).getName();
      return new ClusterHome(inPlace, absolute.resolve("pg.password"), owner, false);
    }
    String user = systemUser();
    Path home = ROOT_HOMES.resolve(id(absolute.toRealPath()));
    Files.createDirectories(ROOT_HOMES);
    // traversable, not listable: the homes' names say which data directories exist
    Files.setPosixFilePermissions(ROOT_HOMES, PosixFilePermissions.fromString("rwx--x--x"));
    Files.createDirectories(home);
    Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
    Files.writeString(home.resolve("data-dir"), absolute.toRealPath() + "\n", StandardCharsets.UTF_8);
    ClusterHome placed = new ClusterHome(home.resolve("pg"), home.resolve("pg.password"), user, true);
    placed.own(home);
    placed.own(home.resolve("data-dir"));
    return placed;
  }

  /** The directory holding the cluster and its password file. */
  Path home() {
    return cluster.getParent();
  }

  /** Gives {@code path} to the user that runs the server (nothing to do when that is us). */
  void own(Path path) throws IOException {
    if (runAs != null) {
      UserPrincipal owner = path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(runAs);
      Files.setOwner(path, owner);
    }
  }

  /** {@code SYSTEM_USER}, created as a locked system account without a home or shell when missing. */
  private static String systemUser() throws IOException {
    if (exists(SYSTEM_USER)) {
      return SYSTEM_USER;
    }
    Process useradd = new ProcessBuilder("useradd", "--system", "--user-group", "--no-create-home",
        "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin", SYSTEM_USER)
        .redirectErrorStream(true).start();
    String output = new String(useradd.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    try {
      useradd.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while creating the user " + SYSTEM_USER, e);
    }
    if (!exists(SYSTEM_USER)) { // another start may have created it meanwhile: that is fine too
      throw new IOException("running as root, the embedded PostgreSQL needs the system user " + SYSTEM_USER
          + " and useradd could not create it: " + output);
    }
    return SYSTEM_USER;
  }

  private static boolean exists(String user) throws IOException {
    try {
      Path.of("/").getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(user);
      return true;
    } catch (UserPrincipalNotFoundException e) {
      return false;
    }
  }

  private static String id(Path dataDir) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(dataDir.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static boolean isRoot() {
    return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
  }

  /** The command prefix that runs a PostgreSQL binary as {@link #runAs}. */
  List<String> asUser() {
    return runAs == null ? List.of() : List.of("runuser", "-u", runAs, "--");
  }
}
