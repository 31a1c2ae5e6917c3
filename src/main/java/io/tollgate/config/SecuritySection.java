package io.tollgate.config;

import io.tollgate.config.TollgateConfig.Login;
import io.tollgate.config.TollgateConfig.PasswordHash;
import io.tollgate.config.TollgateConfig.RateLimit;
import io.tollgate.config.TollgateConfig.Security;

/** The {@code security} section: client-credential options, password hashing, lockout, sessions, rate limits. */
final class SecuritySection {
  private SecuritySection() {}

  static Security read(ConfigReader r) {
    boolean inQuery = r.bool("allowClientCredentialsInQuery", false);
    boolean userAsClient = r.bool("userCredentialsAsClient", false);
    ConfigReader h = r.section("passwordHash");
    String algorithm = h.string("algorithm", "argon2id");
    if (!algorithm.equals("argon2id")) {
      h.problem("algorithm", "must be argon2id, got \"" + algorithm + "\"");
    }
    PasswordHash hash =
        new PasswordHash(
            algorithm,
            h.integer("memoryKiB", 19_456, 8, 4 * 1024 * 1024),
            h.integer("iterations", 2, 1, 100),
            h.integer("parallelism", 1, 1, 64));
    h.finish();
    ConfigReader l = r.section("login");
    Login login = new Login(l.integer("maxFailures", 5, 1, 1000), l.integer("lockSeconds", 900, 1, 86_400));
    l.finish();
    int minPasswordLength = r.integer("minPasswordLength", 10, 1, 1024);
    int sessionTtl = r.integer("sessionTtl", 28_800, 60, 30 * 86_400);
    ConfigReader rl = r.section("rateLimit");
    RateLimit rateLimit = new RateLimit(rl.bool("enabled", true),
        rl.integer("perAddressPerMinute", 1200, 1, 100_000_000), rl.integer("perClientPerMinute", 1200, 1, 100_000_000),
        rl.bool("trustForwardedFor", false));
    rl.finish();
    r.finish();
    return new Security(inQuery, userAsClient, hash, login, minPasswordLength, sessionTtl, rateLimit);
  }
}
