package io.tollgate.gateway.netty;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.impl.headers.HeadersMultiMap;
import io.vertx.core.impl.buffer.VertxByteBufAllocator;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.net.SocketAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * One event loop's HTTP/1.1 connections to the backends, at the Netty level (issue 15,
 * bench/PROFILE.md "Fourth pass"): channels made with Vert.x's own transport (epoll, io_uring or
 * NIO), allocator, socket options and name resolver, registered on the caller's event loop, so that
 * a proxied request never leaves its thread (per-loop pools, as Zuul 2 keeps them). The pipeline is
 * [TLS] → Netty's {@link HttpClientCodec}, sized as Vert.x's client sized it → {@link BackendChannel}.
 * Only its event loop uses it, {@link #close()} included.
 */
public final class BackendChannels implements AutoCloseable {
  /** Told, on the event loop, of the channel a request may use, or why there is none. */
  public interface Acquirer {
    void acquired(BackendChannel channel);

    void failed(Throwable cause);
  }

  /**
   * Answer heads decoded straight into Vert.x's header map, validated as Vert.x's client validated
   * them: the gateway reads and copies them as a {@code MultiMap} without an adaptor or a copy.
   */
  private static final HttpHeadersFactory VERTX_HEADERS = new HttpHeadersFactory() {
    @Override
    public HttpHeaders newHeaders() {
      return HeadersMultiMap.httpHeaders();
    }

    @Override
    public HttpHeaders newEmptyHeaders() {
      return HeadersMultiMap.httpHeaders();
    }
  };

  final EventLoop loop;
  final int maxPerOrigin;
  final long keepAliveMillis;
  private final VertxInternal vertx;
  private final HttpClientOptions options;
  private final Bootstrap template;
  private final Map<Origin, ChannelPool> pools = new HashMap<>();

  private BackendChannels(VertxInternal vertx, EventLoop loop, HttpClientOptions options, int maxPerOrigin) {
    this.vertx = vertx;
    this.loop = loop;
    this.options = options;
    this.maxPerOrigin = maxPerOrigin;
    this.keepAliveMillis = options.getKeepAliveTimeout() * 1000L;
    this.template = new Bootstrap().group(loop).channelFactory(vertx.transport().channelFactory(false))
        .option(ChannelOption.ALLOCATOR, VertxByteBufAllocator.POOLED_ALLOCATOR)
        .resolver(vertx.nameResolver().nettyAddressResolverGroup());
    vertx.transport().configure(options, options.getConnectTimeout(), false, template);
  }

  /**
   * The connections of the calling event loop; {@code options} are those Vert.x's client had
   * (connect timeout, keep-alive timeout, socket options, decoder limits).
   */
  public static BackendChannels forCurrentEventLoop(Vertx vertx, HttpClientOptions options, int maxPerOrigin) {
    ContextInternal context = ContextInternal.current();
    if (context == null || !context.nettyEventLoop().inEventLoop()) {
      throw new IllegalStateException("backend channels belong to an event loop: create them on one");
    }
    return new BackendChannels((VertxInternal) vertx, context.nettyEventLoop(), options, maxPerOrigin);
  }

  /** Whether the calling thread is this pool's event loop, the only one that may use it. */
  public boolean onItsEventLoop() {
    return loop.inEventLoop();
  }

  /** A kept-alive connection to {@code origin} if one is idle, else a new one (or a turn in the queue). */
  public void acquire(Origin origin, Acquirer who) {
    pool(origin).acquire(who);
  }

  /** A new connection to {@code origin}, for a request whose kept-alive one broke before any answer. */
  public void acquireNew(Origin origin, Acquirer who) {
    pool(origin).connectNew(who);
  }

  private ChannelPool pool(Origin origin) {
    ChannelPool pool = pools.get(origin);
    if (pool == null) { // once per origin: no lambda allocated per request
      pool = new ChannelPool(this, origin);
      pools.put(origin, pool);
    }
    return pool;
  }

  /** Closes the idle connections now and the busy ones as their exchanges end; from any thread, done on its loop. */
  @Override
  public void close() {
    if (!loop.inEventLoop()) {
      loop.execute(this::close);
      return;
    }
    pools.values().forEach(ChannelPool::close);
  }

  Bootstrap bootstrap() {
    return template.clone();
  }

  java.net.SocketAddress address(Origin origin) {
    return vertx.transport().convert(SocketAddress.inetSocketAddress(origin.port, origin.host));
  }

  HttpClientCodec codec() {
    HttpDecoderConfig decoder = new HttpDecoderConfig().setMaxInitialLineLength(options.getMaxInitialLineLength())
        .setMaxHeaderSize(options.getMaxHeaderSize()).setMaxChunkSize(options.getMaxChunkSize())
        .setInitialBufferSize(options.getDecoderInitialBufferSize()).setHeadersFactory(VERTX_HEADERS);
    return new HttpClientCodec(decoder, false, false);
  }
}
