package io.tollgate.gateway;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tollgate.tokens.InvalidTokenException;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/** Why the gateway turned requests away, and which backends failed: counters resolved once. */
final class GatewayMetrics {
  private static final String REJECTIONS = "tollgate.token.rejections";

  private final MeterRegistry registry;
  private final Counter missing;
  private final Counter insufficientScope;
  private final Map<InvalidTokenException.Reason, Counter> invalid = new EnumMap<>(InvalidTokenException.Reason.class);

  GatewayMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.missing = rejection("missing");
    this.insufficientScope = rejection("insufficient_scope");
    for (InvalidTokenException.Reason reason : InvalidTokenException.Reason.values()) {
      invalid.put(reason, rejection(reason.name().toLowerCase(Locale.ROOT)));
    }
  }

  private Counter rejection(String reason) {
    return Counter.builder(REJECTIONS).description("requests the gateway refused, by reason")
        .tag("reason", reason).register(registry);
  }

  void missing() {
    missing.increment();
  }

  void insufficientScope() {
    insufficientScope.increment();
  }

  void invalid(InvalidTokenException.Reason reason) {
    invalid.get(reason).increment();
  }

  /** Rare by nature (502/504), so looked up when it happens. */
  void backendError(String backend, int status) {
    Counter.builder("tollgate.backend.errors").description("502 and 504 answers, by backend")
        .tag("backend", backend).tag("status", Integer.toString(status)).register(registry).increment();
  }
}
