package io.tollgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/** README configuration reference, {@code tracing.*}: off by default, validated at load with the others. */
class TracingConfigTest {
  @Test
  void spanExportIsOffByDefault() {
    TollgateConfig.Tracing tracing = ConfigLoader.parse(new JsonObject()).tracing();
    assertNull(tracing.otlpEndpoint());
    assertEquals("tollgate", tracing.serviceName());
  }

  @Test
  void anOtlpEndpointAndAServiceNameAreTaken() {
    TollgateConfig.Tracing tracing = ConfigLoader.parse(new JsonObject().put("tracing", new JsonObject()
        .put("serviceName", "edge-nl")
        .put("otlp", new JsonObject().put("endpoint", "https://collector.example:4318/v1/traces")))).tracing();
    assertEquals(URI.create("https://collector.example:4318/v1/traces"), tracing.otlpEndpoint());
    assertEquals("edge-nl", tracing.serviceName());
  }

  @Test
  void everyTracingProblemIsReportedNamingItsKey() {
    for (String bad : List.of("collector:4318", "ftp://collector/v1/traces", "http:///v1/traces",
        "http://user:secret@collector:4318/v1/traces", "http://collector:4318/v1 traces", "")) {
      JsonObject json = new JsonObject().put("tracing", new JsonObject().put("serviceName", " ")
          .put("sampler", "always").put("otlp", new JsonObject().put("endpoint", bad).put("protocol", "grpc")));
      ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(json), bad);
      assertEquals(List.of(
          "tracing.otlp.endpoint: must be an http(s) URL with a host and no user info, such as "
              + "http://collector:4318/v1/traces, got \"" + bad + "\"",
          "tracing.otlp.protocol: unknown key",
          "tracing.serviceName: must not be empty",
          "tracing.sampler: unknown key"), e.problems(), bad);
    }
  }
}
