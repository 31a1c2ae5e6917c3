package io.tollgate.http;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.InternetProtocolFamily;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.net.ClientOptionsBase;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.transport.Transport;
import java.net.SocketAddress;
import java.util.concurrent.ThreadFactory;

/**
 * Vert.x's transport (io_uring, epoll or NIO) with two additions to every accepted connection's
 * pipeline: flush consolidation closest to the socket ({@link #consolidateFlushes}), then an
 * {@link Http1FramingGuard} ahead of the HTTP/1 decoder. Vert.x 5 has
 * no public hook before its decoder (its connection handler runs after the first request was decoded
 * on the plain port, where h2c prior knowledge is detected first), but it lets the transport configure
 * the server bootstrap, and a server channel handler sees each accepted channel before Vert.x sets it up.
 */
public final class GuardedTransport implements Transport {
  private final Transport transport;
  private final Spi spi;

  private GuardedTransport(Transport transport) {
    this.transport = transport;
    this.spi = new Spi(transport.implementation());
  }

  /**
   * The transport {@code TOLLGATE_TRANSPORT} names (README, "Performance"): {@code io_uring} (the
   * default: bench/PROFILE.md measured 20-30% less CPU per gateway request than epoll), {@code epoll}
   * or {@code nio}; each native one falls back to the next where it does not load (an old kernel, a
   * container whose seccomp profile refuses io_uring), and {@code fallback} says why.
   */
  public static Transport named(String name, java.util.function.Consumer<String> fallback) {
    String wanted = name == null || name.isBlank() ? "io_uring" : name.trim();
    Transport chosen = switch (wanted) {
      case "io_uring" -> loaded(Transport.IO_URING, "io_uring", fallback, loaded(Transport.EPOLL, "epoll", fallback, null));
      case "epoll" -> loaded(Transport.EPOLL, "epoll", fallback, null);
      case "nio" -> Transport.NIO;
      default -> throw new IllegalArgumentException("TOLLGATE_TRANSPORT must be io_uring, epoll or nio, got \"" + wanted + "\"");
    };
    return new GuardedTransport(chosen == null ? Transport.NIO : chosen);
  }

  private static Transport loaded(Transport transport, String name, java.util.function.Consumer<String> fallback,
      Transport otherwise) {
    if (transport != null && transport.available()) {
      return transport;
    }
    Throwable cause = transport == null ? null : transport.unavailabilityCause();
    fallback.accept(name + " does not load here (" + (cause == null ? "no native library" : cause.toString()) + ")");
    return otherwise;
  }

  /**
   * Vert.x with the guard on every server it starts. (Its {@code isNativeTransportEnabled()} is true
   * for any transport but its own NIO class, so ask the transport's {@link #name()} instead.)
   */
  public static Vertx vertx(VertxOptions options, Transport transport) {
    return Vertx.builder().with(options).withTransport(transport).build();
  }

  @Override
  public String name() {
    return transport.name();
  }

  @Override
  public boolean available() {
    return transport.available();
  }

  @Override
  public Throwable unavailabilityCause() {
    return transport.unavailabilityCause();
  }

  @Override
  public io.vertx.core.spi.transport.Transport implementation() {
    return spi;
  }

  /** Puts the guard on each accepted channel; shared by every server of the Vert.x instance. */
  @ChannelHandler.Sharable
  private static final class Acceptor extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object accepted) {
      if (accepted instanceof Channel channel) {
        channel.pipeline().addFirst(Http1FramingGuard.NAME, new Http1FramingGuard());
        consolidateFlushes(channel);
      }
      ctx.fireChannelRead(accepted);
    }
  }

  static final String FLUSHES = "tollgateFlushConsolidation";

  /**
   * Fewer, larger writes (issue 15): Vert.x flushes every write made outside the connection's own
   * read, and the gateway writes the backend's answer to its caller from the backend connection's
   * read, so each of an answer's writes was a flush and a system call of its own. With this handler
   * closest to the socket of each accepted connection, such flushes are gathered and done once when
   * the event loop has handled its ready channels (at once after 256 of them, or when the channel
   * stops being writable); flushes inside the connection's own read Vert.x already defers to the end
   * of that read. Bytes and their order are unchanged.
   */
  private static void consolidateFlushes(Channel channel) {
    channel.pipeline().addFirst(FLUSHES, new FlushConsolidationHandler(
        FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true));
  }

  /** Delegates everything to Vert.x's own transport, except that servers get the {@link Acceptor}. */
  private static final class Spi implements io.vertx.core.spi.transport.Transport {
    private static final Acceptor ACCEPTOR = new Acceptor();
    private final io.vertx.core.spi.transport.Transport delegate;

    Spi(io.vertx.core.spi.transport.Transport delegate) {
      this.delegate = delegate;
    }

    @Override
    public void configure(NetServerOptions options, boolean domainSocket, ServerBootstrap bootstrap) {
      delegate.configure(options, domainSocket, bootstrap);
      bootstrap.handler(ACCEPTOR);
    }

    @Override
    public boolean supportsDomainSockets() {
      return delegate.supportsDomainSockets();
    }

    @Override
    public boolean supportFileRegion() {
      return delegate.supportFileRegion();
    }

    @Override
    public boolean isAvailable() {
      return delegate.isAvailable();
    }

    @Override
    public Throwable unavailabilityCause() {
      return delegate.unavailabilityCause();
    }

    @Override
    public SocketAddress convert(io.vertx.core.net.SocketAddress address) {
      return delegate.convert(address);
    }

    @Override
    public io.vertx.core.net.SocketAddress convert(SocketAddress address) {
      return delegate.convert(address);
    }

    @Override
    public IoHandlerFactory ioHandlerFactory() {
      return delegate.ioHandlerFactory();
    }

    @Override
    public EventLoopGroup eventLoopGroup(int type, int nThreads, ThreadFactory threadFactory, int ioRatio) {
      return delegate.eventLoopGroup(type, nThreads, threadFactory, ioRatio);
    }

    @Override
    public DatagramChannel datagramChannel() {
      return delegate.datagramChannel();
    }

    @Override
    public DatagramChannel datagramChannel(InternetProtocolFamily family) {
      return delegate.datagramChannel(family);
    }

    /**
     * Client channels are left alone: Vert.x's HTTP client strips every handler but TLS from a new
     * connection before it adds its codec, and a body-less request to a backend is one message anyway.
     */
    @Override
    public ChannelFactory<? extends Channel> channelFactory(boolean domainSocket) {
      return delegate.channelFactory(domainSocket);
    }

    @Override
    public ChannelFactory<? extends ServerChannel> serverChannelFactory(boolean domainSocket) {
      return delegate.serverChannelFactory(domainSocket);
    }

    @Override
    public void configure(DatagramChannel channel, DatagramSocketOptions options) {
      delegate.configure(channel, options);
    }

    @Override
    public void configure(ClientOptionsBase options, int connectTimeout, boolean domainSocket, Bootstrap bootstrap) {
      delegate.configure(options, connectTimeout, domainSocket, bootstrap);
    }
  }
}
