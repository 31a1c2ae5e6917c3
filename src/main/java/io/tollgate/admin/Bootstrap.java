package io.tollgate.admin;

import io.tollgate.config.BootstrapFile;
import io.tollgate.crypto.PasswordHasher;
import io.tollgate.oauth.Client;
import io.tollgate.oauth.GrantType;
import io.tollgate.oauth.User;
import io.tollgate.storage.Storage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the bootstrap file at every start, idempotently: roles and clients are upserted; a user's
 * password is hashed and set only when the user is created, so a restart never undoes a change.
 */
public final class Bootstrap {
  private static final Logger log = LoggerFactory.getLogger(Bootstrap.class);

  private Bootstrap() {}

  /** What a start did about client secrets: the argon2id work it took. */
  public record Applied(int secretsKnown, int secretsVerified, int secretsHashed) {}

  /** Reads {@code file} (none: nothing to apply) and applies it; {@code dataDir} keeps {@link CheckedSecrets}. */
  public static Future<Applied> run(Vertx vertx, Path file, Path dataDir, Storage storage, PasswordHasher hasher) {
    // the file's identity is taken before it is read: a write in between is seen when saving
    return vertx.executeBlocking(() -> CheckedSecrets.load(file, dataDir), false)
        .compose(checked -> BootstrapFile.load(vertx, file)
            .compose(spec -> apply(spec, storage, hasher, checked))
            .compose(applied -> vertx.executeBlocking(() -> {
              checked.save();
              return applied;
            }, false)))
        .onSuccess(applied -> log.info("bootstrap applied; client secrets: {} unchanged since they were last "
            + "checked, {} verified, {} hashed", applied.secretsKnown(), applied.secretsVerified(),
            applied.secretsHashed()));
  }

  static Future<Applied> apply(BootstrapFile file, Storage storage, PasswordHasher hasher, CheckedSecrets checked) {
    Counts counts = new Counts();
    List<Future<Void>> steps = new ArrayList<>();
    file.roles().forEach(role -> steps.add(storage.users().upsertRole(role.name(), role.scopes())));
    for (BootstrapFile.ClientSpec spec : file.clients()) {
      steps.add(storage.clients().find(spec.id())
          .compose(existing -> secretHash(existing, spec, hasher, checked, counts))
          .compose(hash -> storage.clients().upsert(new Client(spec.id(), hash,
              GrantType.parse(spec.grant()).orElseThrow(), spec.scopes(), spec.defaultScopes(),
              spec.redirectUris(), spec.refreshTokens(), spec.isPublic(), spec.accessTtl(), spec.refreshTtl()))
              .onSuccess(stored -> {
                if (hash != null) {
                  checked.remember(spec.id(), hash);
                }
              })));
    }
    for (BootstrapFile.UserSpec spec : file.users()) {
      steps.add(storage.users().findById(spec.id()).compose(existing -> existing != null
          ? storage.users().updateProfile(new User(spec.id(), spec.username(), null, spec.roles(),
              existing.requirePasswordChange()))
          : hasher.hash(spec.password()).compose(hash -> storage.users().createIfAbsent(
              new User(spec.id(), spec.username(), hash, spec.roles(), spec.requirePasswordChange())))
              .mapEmpty()));
    }
    return Future.all(steps).map(all -> counts.applied());
  }

  /**
   * Rehashing an unchanged secret at every start would cost a hash per client: keep the stored one
   * when it is known to match the file's secret (an unchanged file, {@link CheckedSecrets}) or is
   * found to match it now.
   */
  private static Future<String> secretHash(Client existing, BootstrapFile.ClientSpec spec, PasswordHasher hasher,
      CheckedSecrets checked, Counts counts) {
    if (spec.isPublic() || spec.secret() == null) {
      return Future.succeededFuture(null);
    }
    if (existing == null || existing.secretHash() == null) {
      counts.hashed.incrementAndGet();
      return hasher.hash(spec.secret());
    }
    if (checked.matches(spec.id(), existing.secretHash())) {
      counts.known.incrementAndGet();
      return Future.succeededFuture(existing.secretHash());
    }
    counts.verified.incrementAndGet();
    return hasher.verify(existing.secretHash(), spec.secret()).compose(same -> {
      if (same) {
        return Future.succeededFuture(existing.secretHash());
      }
      counts.hashed.incrementAndGet();
      return hasher.hash(spec.secret());
    });
  }

  private static final class Counts {
    final AtomicInteger known = new AtomicInteger();
    final AtomicInteger verified = new AtomicInteger();
    final AtomicInteger hashed = new AtomicInteger();

    Applied applied() {
      return new Applied(known.get(), verified.get(), hashed.get());
    }
  }
}
