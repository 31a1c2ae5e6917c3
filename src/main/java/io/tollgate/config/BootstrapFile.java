package io.tollgate.config;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The bootstrap file (README, "Configuration reference": {@code bootstrap}): roles, clients and users
 * declared in YAML, validated at once.
 */
public record BootstrapFile(List<Role> roles, List<ClientSpec> clients, List<UserSpec> users) {
  private static final Set<String> GRANTS = Set.of("authorization_code", "client_credentials", "password");

  public record Role(String name, List<String> scopes) {}

  public record ClientSpec(String id, String secret, String grant, List<String> scopes, List<String> defaultScopes,
      List<String> redirectUris, boolean refreshTokens, boolean isPublic, Integer accessTtl, Integer refreshTtl,
      List<String> webOrigins) {}

  public record UserSpec(String id, String username, String password, List<String> roles,
      boolean requirePasswordChange) {}

  public static BootstrapFile empty() {
    return new BootstrapFile(List.of(), List.of(), List.of());
  }

  public static Future<BootstrapFile> load(Vertx vertx, Path file) {
    if (file == null) {
      return Future.succeededFuture(empty());
    }
    ConfigRetriever retriever = ConfigRetriever.create(vertx, new ConfigRetrieverOptions().setScanPeriod(-1)
        .addStore(new ConfigStoreOptions().setType("file").setFormat("yaml")
            .setConfig(new JsonObject().put("path", file.toString()))));
    return retriever.getConfig().eventually(retriever::close).map(BootstrapFile::parse);
  }

  public static BootstrapFile parse(JsonObject json) {
    List<String> problems = new ArrayList<>();
    ConfigReader root = new ConfigReader(json, "bootstrap", problems);
    List<Role> roles = new ArrayList<>();
    for (ConfigReader r : root.sections("roles")) {
      roles.add(new Role(r.requiredString("name"), r.strings("scopes", List.of())));
      r.finish();
    }
    List<ClientSpec> clients = new ArrayList<>();
    for (ConfigReader c : root.sections("clients")) {
      String grant = c.requiredString("grant");
      if (grant != null && !GRANTS.contains(grant)) {
        c.problem("grant", "must be one of " + GRANTS + " (a client has exactly one grant type)");
      }
      boolean isPublic = c.bool("public", false);
      String secret = c.string("secret", null);
      if (!isPublic && secret == null) {
        c.problem("secret", "is required for a confidential client");
      }
      if (isPublic && !"authorization_code".equals(grant)) {
        c.problem("public", "only authorization_code clients can be public");
      }
      boolean refreshDefault = !"client_credentials".equals(grant);
      List<String> webOrigins = c.strings("webOrigins", List.of());
      for (String origin : webOrigins) {
        String problem = io.tollgate.cors.Origins.problem(origin);
        if (problem != null) {
          c.problem("webOrigins", problem);
        }
      }
      clients.add(new ClientSpec(c.requiredString("id"), secret, grant, c.strings("scopes", List.of()),
          c.has("defaultScopes") ? c.strings("defaultScopes", List.of()) : null,
          c.strings("redirectUris", List.of()), c.bool("refreshTokens", refreshDefault), isPublic,
          c.has("accessTtl") ? c.integer("accessTtl", 600, 1, 86_400) : null,
          c.has("refreshTtl") ? c.integer("refreshTtl", 2_592_000, 60, 365 * 86_400) : null,
          List.copyOf(new java.util.LinkedHashSet<>(webOrigins))));
      c.finish();
    }
    List<UserSpec> users = new ArrayList<>();
    for (ConfigReader u : root.sections("users")) {
      users.add(new UserSpec(u.requiredString("id"), u.requiredString("username"), u.requiredString("password"),
          u.strings("roles", List.of()), u.bool("requirePasswordChange", false)));
      u.finish();
    }
    root.finish();
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return new BootstrapFile(List.copyOf(roles), List.copyOf(clients), List.copyOf(users));
  }
}
