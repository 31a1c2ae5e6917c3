package io.tollgate.storage;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server from the zonky binaries artifact, run from a data directory that
 * survives restarts. We run the binaries ourselves rather than through zonky's launcher because
 * PostgreSQL refuses to run as root, and containers and CI machines often are root: where the
 * cluster lives and who runs it then is {@link ClusterHome}'s rule. Every method blocks; call it
 * from a worker, never an event loop.
 */
public final class EmbeddedPostgres implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgres.class);
  private static final String ARCHIVE = "postgres-linux-x86_64.txz";
  private static final String USER = "tollgate";
  private static final String DATABASE = "tollgate";

  private final Path binaries;
  private final ClusterHome home;
  private final Path data;
  private final int port;
  private final String password;
  private final Thread shutdownHook;
  private boolean durable = true;

  private EmbeddedPostgres(Path binaries, ClusterHome home, int port, String password) {
    this.binaries = binaries;
    this.home = home;
    this.data = home.cluster();
    this.port = port;
    this.password = password;
    this.shutdownHook = new Thread(this::stop, "embedded-postgres-stop");
  }

  /**
   * Starts a server for {@code dataDir} (the cluster is where {@link ClusterHome} says), initialising
   * it on first use.
   *
   * @param durable false turns off fsync and removes a cluster kept outside {@code dataDir} when the
   *     server stops: for throw-away test databases only
   */
  public static EmbeddedPostgres start(Path dataDir, boolean durable) {
    try {
      Path binaries = unpackBinaries();
      Files.createDirectories(dataDir);
      ClusterHome home = ClusterHome.of(dataDir);
      boolean fresh = !Files.exists(home.cluster().resolve("PG_VERSION"));
      String password = fresh ? newPassword() : Files.readString(home.passwordFile()).trim();
      EmbeddedPostgres pg = new EmbeddedPostgres(binaries, home, freePort(), password);
      if (fresh) {
        pg.initdb();
      }
      pg.stopLeftover();
      pg.startServer(durable);
      Runtime.getRuntime().addShutdownHook(pg.shutdownHook);
      if (home.runAs() == null) {
        log.info("embedded PostgreSQL running on 127.0.0.1:{} with data in {}", pg.port, pg.data);
      } else {
        log.info("embedded PostgreSQL running on 127.0.0.1:{} as user {} (PostgreSQL refuses root) with data in {}",
            pg.port, home.runAs(), pg.data);
      }
      return pg;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the embedded PostgreSQL: " + e.getMessage(), e);
    }
  }

  public String url() {
    return "postgresql://" + USER + ":" + password + "@127.0.0.1:" + port + "/" + DATABASE;
  }

  public int port() {
    return port;
  }

  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or has run: it stops the server itself
      return;
    }
    stop();
  }

  private void stop() {
    try {
      stopServer();
      if (!durable && home.separate()) {
        deleteTree(home.home()); // a test's throw-away cluster must not pile up under /var/lib
      }
    } catch (RuntimeException | IOException e) {
      log.warn("embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
    }
  }

  private void stopServer() throws IOException {
    run(List.of(bin("pg_ctl"), "stop", "-D", data.toString(), "-m", "fast", "-w", "-t", "30"));
  }

  private void initdb() throws IOException {
    if (Files.exists(data)) {
      deleteTree(data); // the remains of an initdb that did not finish
    }
    Files.createDirectories(data);
    setOwnerAndMode(data, "rwx------");
    Path pwfile = data.getParent().resolve("pg.initpw");
    writeSecret(pwfile, password + "\n");
    try {
      run(List.of(bin("initdb"), "-D", data.toString(), "-U", USER, "-E", "UTF-8", "--locale=C",
          "-A", "scram-sha-256", "--pwfile=" + pwfile));
    } finally {
      Files.deleteIfExists(pwfile);
    }
    // the binaries ship no createdb: single-user mode creates the database before the first start
    run(List.of(bin("postgres"), "--single", "-D", data.toString(), "-j", "postgres"),
        "CREATE DATABASE " + DATABASE + ";\n");
    writeSecret(home.passwordFile(), password + "\n");
  }

  /** Created owner-only before the secret is written: never readable by anyone else, even briefly. */
  private void writeSecret(Path file, String secret) throws IOException {
    Files.deleteIfExists(file);
    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(file, secret);
    home.own(file);
  }

  /** A server left running by a killed predecessor holds the data directory: stop it first. */
  private void stopLeftover() throws IOException {
    if (Files.exists(data.resolve("postmaster.pid"))) {
      try {
        run(List.of(bin("pg_ctl"), "stop", "-D", data.toString(), "-m", "fast", "-w", "-t", "30"));
        log.info("stopped a PostgreSQL left running on {}", data);
      } catch (RuntimeException notRunning) {
        // a stale pid file: the server start below takes care of it
      }
    }
  }

  /** Stops the server but keeps its data and port: an outage drill, undone by {@link #resume}. */
  public void suspend() {
    try {
      stopServer();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts the server again on the same port after {@link #suspend}. */
  public void resume() {
    try {
      startServer(durable);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void startServer(boolean durable) throws IOException {
    this.durable = durable;
    String options = "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=''"
        + " -c max_connections=300" + (durable ? "" : " -c fsync=off -c synchronous_commit=off -c full_page_writes=off");
    run(List.of(bin("pg_ctl"), "start", "-D", data.toString(), "-w", "-t", "60",
        "-l", data.resolve("server.log").toString(), "-o", options));
  }

  private String bin(String name) {
    return binaries.resolve("bin").resolve(name).toString();
  }

  private void run(List<String> command) throws IOException {
    run(command, null);
  }

  private void run(List<String> command, String input) throws IOException {
    List<String> full = new ArrayList<>(home.asUser());
    full.addAll(command);
    ProcessBuilder builder = new ProcessBuilder(full).redirectErrorStream(true);
    builder.environment().put("PGPASSWORD", password);
    builder.environment().put("LC_ALL", "C");
    if (input == null) {
      builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    }
    Process process = builder.start();
    if (input != null) {
      try (var stdin = process.getOutputStream()) {
        stdin.write(input.getBytes(StandardCharsets.UTF_8));
      }
    }
    byte[] output = process.getInputStream().readAllBytes();
    try {
      if (!process.waitFor(90, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(command.get(0) + " did not finish in 90 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command.get(0), e);
    }
    if (process.exitValue() != 0) {
      throw new IllegalStateException(Path.of(command.get(0)).getFileName() + " failed ("
          + process.exitValue() + "): " + new String(output, StandardCharsets.UTF_8).trim());
    }
  }

  private void setOwnerAndMode(Path path, String mode) throws IOException {
    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
    home.own(path);
  }

  /** Unpacks the binaries once per version into the temp directory, atomically. */
  private static Path unpackBinaries() throws IOException {
    URL archive = EmbeddedPostgres.class.getClassLoader().getResource(ARCHIVE);
    if (archive == null) {
      throw new IOException(ARCHIVE + " is not on the class path (embedded-postgres-binaries)");
    }
    long size = archive.openConnection().getContentLengthLong();
    Path target = Path.of(System.getProperty("java.io.tmpdir"), "tollgate-pg-" + size);
    if (Files.exists(target.resolve("bin/postgres"))) {
      return target;
    }
    Path staging = Files.createTempDirectory(target.getParent(), "tollgate-pg-unpack-");
    Files.setPosixFilePermissions(staging, PosixFilePermissions.fromString("rwxr-xr-x"));
    try (InputStream in = new BufferedInputStream(archive.openStream());
        TarArchiveInputStream tar = new TarArchiveInputStream(new XZCompressorInputStream(in))) {
      for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
        Path out = staging.resolve(entry.getName()).normalize();
        if (!out.startsWith(staging)) {
          throw new IOException("unsafe path in " + ARCHIVE + ": " + entry.getName());
        }
        if (entry.isDirectory()) {
          Files.createDirectories(out);
        } else if (entry.isSymbolicLink()) {
          Files.createDirectories(out.getParent());
          Files.createSymbolicLink(out, Path.of(entry.getLinkName()));
        } else {
          Files.createDirectories(out.getParent());
          Files.copy(tar, out, StandardCopyOption.REPLACE_EXISTING);
          Files.setPosixFilePermissions(out, permissions(entry.getMode()));
        }
      }
    }
    try {
      Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException raced) {
      deleteTree(staging);
    } catch (IOException e) {
      if (!Files.exists(target.resolve("bin/postgres"))) {
        throw e;
      }
      deleteTree(staging); // another process unpacked it first
    }
    return target;
  }

  private static Set<PosixFilePermission> permissions(int mode) {
    // readable by everyone, so that the server can run as another user; executables stay executable
    return PosixFilePermissions.fromString((mode & 0100) != 0 ? "rwxr-xr-x" : "rw-r--r--");
  }

  private static void deleteTree(Path root) throws IOException {
    try (var paths = Files.walk(root)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static String newPassword() {
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
