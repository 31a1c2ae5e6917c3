package io.tollgate.config;

import io.tollgate.config.TollgateConfig.Signing;
import io.tollgate.config.TollgateConfig.SigningKey;
import io.tollgate.config.TollgateConfig.Tokens;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The {@code tokens} section: lifetimes and the signing keys. */
final class TokensSection {
  private static final Set<String> ALGORITHMS = Set.of("ES256", "RS256", "EdDSA", "HS256");

  private TokensSection() {}

  static Tokens read(ConfigReader r) {
    int accessTtl = r.integer("accessTtl", 600, 1, 86_400);
    int refreshTtl = r.integer("refreshTtl", 2_592_000, 60, 365 * 86_400);
    int codeTtl = r.integer("codeTtl", 60, 1, 600);
    ConfigReader s = r.section("signing");
    String algorithm = s.string("algorithm", "ES256");
    if (!ALGORITHMS.contains(algorithm)) {
      s.problem("algorithm", "must be one of " + ALGORITHMS + ", got \"" + algorithm + "\"");
    }
    List<SigningKey> keys = new ArrayList<>();
    for (ConfigReader k : s.sections("keys")) {
      String kid = k.requiredString("kid");
      Path privateKey = k.has("private") ? k.existingFile("private") : null;
      Path publicKey = k.has("public") ? k.existingFile("public") : null;
      String secret = k.string("secret", null);
      boolean active = k.bool("active", false);
      if (privateKey == null && publicKey == null && secret == null) {
        k.problem("private", "a key needs private, public or secret");
      }
      if (secret != null && !"HS256".equals(algorithm)) {
        k.problem("secret", "only HS256 keys have a secret");
      }
      if (active && privateKey == null && secret == null) {
        k.problem("active", "a public-only key cannot sign");
      }
      k.finish();
      keys.add(new SigningKey(kid, privateKey, publicKey, secret, active));
    }
    if (keys.stream().filter(SigningKey::active).count() > 1) {
      s.problem("keys", "at most one key may be active (the one that signs)");
    }
    if (keys.stream().map(SigningKey::kid).distinct().count() < keys.size()) {
      s.problem("keys", "every kid must be unique");
    }
    s.finish();
    r.finish();
    return new Tokens(accessTtl, refreshTtl, codeTtl, new Signing(algorithm, List.copyOf(keys)));
  }
}
