package io.tollgate.crypto;

import de.mkammerer.argon2.Argon2;
import de.mkammerer.argon2.Argon2Factory;
import io.tollgate.config.TollgateConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.util.concurrent.TimeUnit;

/**
 * argon2id (the reference C implementation) on a dedicated worker pool: a hash costs tens of
 * milliseconds and must never run on an event loop, nor starve Vert.x's general workers.
 */
public final class PasswordHasher {
  private final Argon2 argon2 = Argon2Factory.create(Argon2Factory.Argon2Types.ARGON2id);
  private final TollgateConfig.PasswordHash cost;
  private final WorkerExecutor workers;
  /** The thread of the latest hash: lets the tests prove that hashing leaves the event loop. */
  volatile String lastHashThread;

  private PasswordHasher(TollgateConfig.PasswordHash cost, WorkerExecutor workers) {
    this.cost = cost;
    this.workers = workers;
  }

  public static PasswordHasher create(Vertx vertx, TollgateConfig.PasswordHash cost) {
    int threads = Runtime.getRuntime().availableProcessors();
    return new PasswordHasher(cost, vertx.createSharedWorkerExecutor("tollgate-hash", threads, 60, TimeUnit.SECONDS));
  }

  public Future<String> hash(String password) {
    return workers.executeBlocking(() -> hashBlocking(password), false);
  }

  /**
   * True when the password matches. A null hash (unknown user) answers false after hashing the
   * password at the configured cost, which is the work a verification does: an unknown user costs
   * what a wrong password costs, so timing tells no usernames, without a dummy hash made at start for the purpose.
   */
  public Future<Boolean> verify(String storedHash, String password) {
    if (storedHash == null) {
      return hash(password).map(ignored -> false);
    }
    return workers.executeBlocking(() -> {
      lastHashThread = Thread.currentThread().getName();
      char[] chars = password.toCharArray();
      try {
        return argon2.verify(storedHash, chars);
      } catch (RuntimeException malformedHash) {
        return false;
      } finally {
        argon2.wipeArray(chars);
      }
    }, false);
  }

  public String hashBlocking(String password) {
    lastHashThread = Thread.currentThread().getName();
    char[] chars = password.toCharArray();
    try {
      return argon2.hash(cost.iterations(), cost.memoryKiB(), cost.parallelism(), chars);
    } finally {
      argon2.wipeArray(chars);
    }
  }
}
