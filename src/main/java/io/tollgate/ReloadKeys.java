package io.tollgate;

import io.tollgate.config.TollgateConfig;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Which configuration keys a reload applies and which only a restart changes (README, "Reload"),
 * and the configuration a reload puts in service: the new file with the running values of the
 * latter. A new section of {@link TollgateConfig} goes into one of the two lists, and into
 * {@link #effective}.
 */
final class ReloadKeys {
  private ReloadKeys() {}

  /** A key of the configuration and how to read it, to tell what a reload changes. */
  private record Key(String name, Function<TollgateConfig, Object> value) {
    boolean differs(TollgateConfig a, TollgateConfig b) {
      return !Objects.equals(value.apply(a), value.apply(b));
    }
  }

  /**
   * What only a restart changes: what is bound (listeners, their TLS settings, the event loops), the
   * database and what was built on it at start (the purge's lifetimes, the password hasher), the
   * data directory. {@link #effective} keeps their running values.
   */
  private static final List<Key> RESTART_ONLY = List.of(
      new Key("http.host", c -> c.http().host()),
      new Key("http.port", c -> c.http().port()),
      new Key("http.instances", c -> c.http().instances()),
      new Key("http.redirectPort", c -> c.http().redirectPort()),
      new Key("http.shutdownGraceSeconds", c -> c.http().shutdownGraceSeconds()),
      new Key("http.tls", c -> c.http().tls()),
      new Key("management", TollgateConfig::management),
      new Key("database", TollgateConfig::database),
      new Key("dataDir", TollgateConfig::dataDir),
      new Key("dev", TollgateConfig::dev),
      new Key("tracing", TollgateConfig::tracing),
      new Key("tokens.accessTtl", c -> c.tokens().accessTtl()),
      new Key("security.passwordHash", c -> c.security().passwordHash()),
      new Key("security.login", c -> c.security().login()));

  /** What a reload applies, named in its report when it changed. */
  private static final List<Key> LIVE = List.of(
      new Key("routes", TollgateConfig::routes),
      new Key("security.rateLimit", c -> c.security().rateLimit()),
      new Key("accessLog", TollgateConfig::accessLog),
      new Key("tokens.signing", c -> c.tokens().signing()),
      new Key("tokens.refreshTtl", c -> c.tokens().refreshTtl()),
      new Key("tokens.codeTtl", c -> c.tokens().codeTtl()),
      new Key("issuer", TollgateConfig::issuer),
      new Key("audience", TollgateConfig::audience),
      new Key("endpoints", TollgateConfig::endpoints),
      new Key("consumerLogin", TollgateConfig::consumerLogin),
      new Key("security.allowClientCredentialsInQuery", c -> c.security().allowClientCredentialsInQuery()),
      new Key("security.userCredentialsAsClient", c -> c.security().userCredentialsAsClient()),
      new Key("security.minPasswordLength", c -> c.security().minPasswordLength()),
      new Key("security.sessionTtl", c -> c.security().sessionTtl()),
      new Key("http.bodyLimit", c -> c.http().bodyLimit()),
      new Key("http.requestTimeout", c -> c.http().requestTimeout()),
      new Key("bootstrap", TollgateConfig::bootstrap));

  /** The restart-only keys that differ, by name, in the README's order. */
  static List<String> restartOnlyChanged(TollgateConfig running, TollgateConfig next) {
    return RESTART_ONLY.stream().filter(key -> key.differs(running, next)).map(Key::name).toList();
  }

  /** The live keys that differ, by name. */
  static List<String> liveChanged(TollgateConfig running, TollgateConfig next) {
    return LIVE.stream().filter(key -> key.differs(running, next)).map(Key::name).toList();
  }

  /** {@code next}, with the running values of what only a restart can change. */
  static TollgateConfig effective(TollgateConfig running, TollgateConfig next) {
    TollgateConfig.Http was = running.http();
    TollgateConfig.Http http = new TollgateConfig.Http(was.host(), was.port(), was.instances(),
        next.http().bodyLimit(), was.tls(), next.http().requestTimeout(), was.shutdownGraceSeconds(),
        was.redirectPort());
    TollgateConfig.Tokens tokens = new TollgateConfig.Tokens(running.tokens().accessTtl(),
        next.tokens().refreshTtl(), next.tokens().codeTtl(), next.tokens().signing());
    TollgateConfig.Security s = next.security();
    TollgateConfig.Security security = new TollgateConfig.Security(s.allowClientCredentialsInQuery(),
        s.userCredentialsAsClient(), running.security().passwordHash(), running.security().login(),
        s.minPasswordLength(), s.sessionTtl(), s.rateLimit());
    return new TollgateConfig(http, next.issuer(), next.audience(), running.database(), tokens, next.endpoints(),
        security, next.routes(), next.consumerLogin(), next.bootstrap(), running.dataDir(), next.accessLog(),
        running.management(), running.dev(), running.tracing());
  }
}
