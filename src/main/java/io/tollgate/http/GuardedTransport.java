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
 * Vert.x's transport (epoll or NIO) with one addition: every accepted connection gets an
 * {@link Http1FramingGuard} at the front of its pipeline, ahead of the HTTP/1 decoder. Vert.x 5 has
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

  /** The native transport when asked for and it loads, else NIO; with the guard either way. */
  public static Transport of(VertxOptions options) {
    Transport chosen = options.getPreferNativeTransport() ? Transport.nativeTransport() : null;
    return new GuardedTransport(chosen != null && chosen.available() ? chosen : Transport.NIO);
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
      }
      ctx.fireChannelRead(accepted);
    }
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
