package io.tollgate.admin;

import io.tollgate.config.BootstrapFile;
import io.tollgate.crypto.PasswordHasher;
import io.tollgate.oauth.Client;
import io.tollgate.oauth.GrantType;
import io.tollgate.oauth.User;
import io.tollgate.storage.Storage;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies the bootstrap file at every start, idempotently: roles and clients are upserted; a user's
 * password is hashed and set only when the user is created, so a restart never undoes a change.
 */
public final class Bootstrap {
  private Bootstrap() {}

  public static Future<Void> apply(BootstrapFile file, Storage storage, PasswordHasher hasher) {
    List<Future<Void>> steps = new ArrayList<>();
    file.roles().forEach(role -> steps.add(storage.users().upsertRole(role.name(), role.scopes())));
    for (BootstrapFile.ClientSpec spec : file.clients()) {
      steps.add(storage.clients().find(spec.id())
          .compose(existing -> secretHash(existing, spec, hasher))
          .compose(hash -> storage.clients().upsert(new Client(spec.id(), hash,
              GrantType.parse(spec.grant()).orElseThrow(), spec.scopes(), spec.defaultScopes(),
              spec.redirectUris(), spec.refreshTokens(), spec.isPublic(), spec.accessTtl(), spec.refreshTtl()))));
    }
    for (BootstrapFile.UserSpec spec : file.users()) {
      steps.add(storage.users().findById(spec.id()).compose(existing -> existing != null
          ? storage.users().updateProfile(new User(spec.id(), spec.username(), null, spec.roles(),
              existing.requirePasswordChange()))
          : hasher.hash(spec.password()).compose(hash -> storage.users().createIfAbsent(
              new User(spec.id(), spec.username(), hash, spec.roles(), spec.requirePasswordChange())))
              .mapEmpty()));
    }
    return Future.all(steps).mapEmpty();
  }

  /** Rehashing an unchanged secret at every start would cost a hash per client: keep the stored one if it matches. */
  private static Future<String> secretHash(Client existing, BootstrapFile.ClientSpec spec, PasswordHasher hasher) {
    if (spec.isPublic() || spec.secret() == null) {
      return Future.succeededFuture(null);
    }
    if (existing == null || existing.secretHash() == null) {
      return hasher.hash(spec.secret());
    }
    return hasher.verify(existing.secretHash(), spec.secret())
        .compose(same -> same ? Future.succeededFuture(existing.secretHash()) : hasher.hash(spec.secret()));
  }
}
