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
import java.util.function.Function;
import java.util.stream.IntStream;
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

  /**
   * Reads what exists, decides each secret and password, then writes. The statements run one at a
   * time, on the connection the pool already holds: started together, each would open a connection
   * of its own (a PostgreSQL backend and a SCRAM exchange), which costs more than the statements
   * (issue 6: start-up). The argon2id work in between runs in parallel on the hash pool.
   */
  static Future<Applied> apply(BootstrapFile file, Storage storage, PasswordHasher hasher, CheckedSecrets checked) {
    Counts counts = new Counts();
    return inTurn(file.clients(), spec -> storage.clients().find(spec.id()))
        .compose(clients -> inTurn(file.users(), spec -> storage.users().findById(spec.id()))
            .compose(users -> {
              List<Future<String>> secrets = new ArrayList<>();
              for (int i = 0; i < clients.size(); i++) {
                secrets.add(secretHash(clients.get(i), file.clients().get(i), hasher, checked, counts));
              }
              List<Future<String>> passwords = new ArrayList<>();
              for (int i = 0; i < users.size(); i++) {
                passwords.add(users.get(i) != null ? Future.succeededFuture(null)
                    : hasher.hash(file.users().get(i).password()));
              }
              return Future.join(Future.join(secrets), Future.join(passwords))
                  .compose(decided -> inTurn(file.roles(),
                      role -> storage.users().upsertRole(role.name(), role.scopes())))
                  .compose(roles -> inTurn(indexes(file.clients()), i ->
                      upsertClient(file.clients().get(i), secrets.get(i).result(), storage, checked)))
                  .compose(written -> inTurn(indexes(file.users()), i ->
                      upsertUser(file.users().get(i), users.get(i), passwords.get(i).result(), storage)));
            }))
        .map(done -> counts.applied());
  }

  private static Future<Void> upsertClient(BootstrapFile.ClientSpec spec, String hash, Storage storage,
      CheckedSecrets checked) {
    return storage.clients().upsert(new Client(spec.id(), hash, GrantType.parse(spec.grant()).orElseThrow(),
            spec.scopes(), spec.defaultScopes(), spec.redirectUris(), spec.refreshTokens(), spec.isPublic(),
            spec.accessTtl(), spec.refreshTtl(), spec.webOrigins()))
        .onSuccess(stored -> {
          if (hash != null) {
            checked.remember(spec.id(), hash);
          }
        });
  }

  private static Future<Void> upsertUser(BootstrapFile.UserSpec spec, User existing, String hash, Storage storage) {
    return existing != null
        ? storage.users().updateProfile(new User(spec.id(), spec.username(), null, spec.roles(),
            existing.requirePasswordChange()))
        : storage.users().createIfAbsent(new User(spec.id(), spec.username(), hash, spec.roles(),
            spec.requirePasswordChange())).mapEmpty();
  }

  /** {@code step} for each item, one after the other; the results in order. */
  private static <T, R> Future<List<R>> inTurn(List<T> items, Function<T, Future<R>> step) {
    Future<List<R>> chain = Future.succeededFuture(new ArrayList<>());
    for (T item : items) {
      chain = chain.compose(done -> step.apply(item).map(result -> {
        done.add(result);
        return done;
      }));
    }
    return chain;
  }

  private static List<Integer> indexes(List<?> list) {
    return IntStream.range(0, list.size()).boxed().toList();
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
