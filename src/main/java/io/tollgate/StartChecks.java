package io.tollgate;

import io.tollgate.config.TollgateConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * What makes a start impossible, found before anything starts, so that it is said in one line and
 * the process exits at once with nothing left running: a data directory that cannot be written, one
 * that another Tollgate holds (its embedded PostgreSQL would otherwise be stopped as a leftover),
 * a port that is taken.
 */
final class StartChecks {
  private static final String LOCK = "tollgate.lock";
  /** Held until the process exits, which releases it even after a kill -9. */
  private static FileChannel held;

  private StartChecks() {}

  /** A start that cannot work, in the one line that says why. */
  static final class Impossible extends RuntimeException {
    Impossible(String line) {
      super(line, null, false, false);
    }
  }

  static void run(TollgateConfig config) {
    lockDataDirectory(config.dataDir());
    portIsFree("http.port", config.http().host(), config.http().port());
    if (config.management() != null) {
      portIsFree("management.port", config.management().host(), config.management().port());
    }
  }

  private static synchronized void lockDataDirectory(Path dir) {
    Path lock = dir.resolve(LOCK);
    try {
      if (!Files.isDirectory(dir)) { // it will hold keys: its owner's alone
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      }
      FileChannel channel = FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock taken = channel.tryLock();
      if (taken == null) {
        channel.close();
        throw new Impossible("data directory " + dir.toAbsolutePath()
            + " is in use by another Tollgate (stop it, or give this one another dataDir)");
      }
      held = channel;
    } catch (IOException e) {
      throw new Impossible("data directory " + dir.toAbsolutePath() + " is not writable by user "
          + System.getProperty("user.name") + " (" + e.getMessage() + ")");
    }
  }

  /** A bind that is released at once; the real bind follows within a second or two. */
  private static void portIsFree(String key, String host, int port) {
    if (port == 0) {
      return;
    }
    try (ServerSocket probe = new ServerSocket()) {
      probe.setReuseAddress(true); // as Vert.x binds: a port in TIME_WAIT is free
      probe.bind(new InetSocketAddress(host, port));
    } catch (IOException e) {
      throw new Impossible(key + ": cannot listen on " + host + ":" + port + ": " + e.getMessage()
          + (key.equals("http.port") ? " (TOLLGATE_HTTP_PORT chooses another port)" : ""));
    }
  }
}
