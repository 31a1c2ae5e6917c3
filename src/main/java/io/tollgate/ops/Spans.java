package io.tollgate.ops;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.tollgate.config.TollgateConfig;
import io.tollgate.http.RequestFacts;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import java.util.concurrent.TimeUnit;

/**
 * OTLP export of one server span per request, gateway and token service alike (README, "Request ids
 * and tracing"), through the OpenTelemetry SDK: its batch processor, which never makes the event loop
 * wait (a full queue drops spans), and its OTLP/HTTP protobuf exporter. The span continues the trace
 * context RequestFacts read from the caller, and its ids become the request's, so the backend's
 * parent is this span. It exists only when {@code tracing.otlp.endpoint} is set: otherwise there is no
 * instance, and a request costs no tracer call and no span object. Attributes follow OpenTelemetry's
 * HTTP semantic conventions, with the path cut as the access log cuts it (no query, no path
 * parameters), and never a header: no token, secret or Authorization value reaches a span.
 */
public final class Spans {
  private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");
  private static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
  private static final AttributeKey<String> PATH = AttributeKey.stringKey("url.path");
  private static final AttributeKey<String> SCHEME = AttributeKey.stringKey("url.scheme");
  private static final AttributeKey<String> SERVER = AttributeKey.stringKey("server.address");
  private static final AttributeKey<String> PROTOCOL = AttributeKey.stringKey("network.protocol.version");
  private static final AttributeKey<String> ROUTE = AttributeKey.stringKey("http.route");
  private static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
  private static final AttributeKey<String> REQUEST_ID = AttributeKey.stringKey("tollgate.request_id");
  private static final AttributeKey<String> CLIENT = AttributeKey.stringKey("tollgate.client_id");
  private static final AttributeKey<String> BACKEND = AttributeKey.stringKey("tollgate.backend");

  private final SdkTracerProvider provider;
  private final Tracer tracer;

  private Spans(SdkTracerProvider provider) {
    this.provider = provider;
    this.tracer = provider.get("io.tollgate");
  }

  /**
   * The exporter for {@code config}, or null when no endpoint is configured. On a worker thread: the
   * SDK's classes load here, not on the event loop of the first request.
   */
  public static Spans create(TollgateConfig.Tracing config) {
    if (config.otlpEndpoint() == null) {
      return null;
    }
    warmUp();
    OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder()
        .setEndpoint(config.otlpEndpoint().toString())
        .build();
    return new Spans(SdkTracerProvider.builder()
        .setResource(Resource.getDefault().toBuilder().put(SERVICE_NAME, config.serviceName()).build())
        // the caller's sampled flag decides; a trace that starts here is recorded
        .setSampler(Sampler.parentBased(Sampler.alwaysOn()))
        .addSpanProcessor(BatchSpanProcessor.builder(exporter).build())
        .build());
  }

  /** A span through a provider without a processor, which exports nothing: the request path's classes, loaded. */
  private static void warmUp() {
    try (SdkTracerProvider scratch = SdkTracerProvider.builder().build()) {
      Span span = scratch.get("io.tollgate").spanBuilder("warm-up").setSpanKind(SpanKind.SERVER)
          .setParent(Context.root().with(Span.wrap(SpanContext.createFromRemoteParent("0af7651916cd43dd8448eb211c80319c",
              "b7ad6b7169203331", TraceFlags.getSampled(), TraceState.getDefault()))))
          .setAttribute(METHOD, "GET").setAttribute(STATUS, 200L).startSpan();
      span.updateName("GET warm-up");
      span.setStatus(StatusCode.ERROR);
      span.end();
    }
  }

  /** Starts the request's span, a child of the caller's, and gives the request its ids. */
  void start(HttpServerRequest request, RequestFacts facts) {
    String method = request.method().name();
    SpanBuilder builder = tracer.spanBuilder(method).setSpanKind(SpanKind.SERVER)
        .setAttribute(METHOD, method)
        .setAttribute(PATH, RequestFacts.loggedPath(request.path()))
        .setAttribute(SCHEME, request.isSSL() ? "https" : "http")
        .setAttribute(PROTOCOL, request.version() == HttpVersion.HTTP_2 ? "2"
            : request.version() == HttpVersion.HTTP_1_0 ? "1.0" : "1.1")
        .setAttribute(REQUEST_ID, facts.requestId());
    if (request.authority() != null) {
      builder.setAttribute(SERVER, request.authority().host());
    }
    if (facts.parentId() == null) {
      builder.setNoParent();
    } else {
      builder.setParent(Context.root().with(Span.wrap(SpanContext.createFromRemoteParent(facts.traceId(),
          facts.parentId(), facts.sampled() ? TraceFlags.getSampled() : TraceFlags.getDefault(),
          TraceState.getDefault()))));
    }
    Span span = builder.startSpan();
    SpanContext context = span.getSpanContext();
    facts.exported(span, context.getTraceId(), context.getSpanId(), context.isSampled());
  }

  /** Ends the request's span with what is known once the answer has gone: route, status, client, backend. */
  void end(HttpServerRequest request, String route, RequestFacts facts) {
    if (!(facts.span() instanceof Span span)) {
      return;
    }
    int status = request.response().getStatusCode();
    String method = request.method().name();
    if (!"none".equals(route)) {
      span.updateName(method + " " + route);
      span.setAttribute(ROUTE, route);
    }
    span.setAttribute(STATUS, (long) status);
    if (facts.clientId() != null) {
      span.setAttribute(CLIENT, facts.clientId());
    }
    if (facts.backend() != null) {
      span.setAttribute(BACKEND, facts.backend());
    }
    if (status >= 500) {
      span.setStatus(StatusCode.ERROR); // semantic conventions: a 4xx is the caller's, not the server's, error
    }
    span.end();
  }

  /** Exports what is still queued and stops, on a worker thread: the SDK's shutdown waits for the exporter. */
  public Future<Void> close(Vertx vertx) {
    return vertx.executeBlocking(() -> {
      provider.shutdown().join(10, TimeUnit.SECONDS);
      return null;
    }, false);
  }
}
