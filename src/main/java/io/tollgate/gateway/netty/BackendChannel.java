package io.tollgate.gateway.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpObject;
import io.netty.util.ReferenceCountUtil;
import java.nio.channels.ClosedChannelException;

/**
 * One pooled HTTP/1.1 connection to a backend, and the last handler of its pipeline: it hands what
 * the backend sends to the exchange holding it, and nothing to nobody (an answer no request asked
 * for closes the connection, RFC 9112 §9.3.2). Only its event loop uses it. Writes take the channel's
 * void promise: nobody waits for them, and a failed one reaches {@link #exceptionCaught}.
 */
public final class BackendChannel extends ChannelInboundHandlerAdapter {
  private final ChannelPool pool;
  private Channel channel;
  private BackendExchange exchange;
  private boolean reused;
  private boolean forgotten;
  /** When, in ms since the epoch, an idle connection is too old to use (the pool's keep-alive timeout). */
  private long expires;
  private long announcedMillis = KeepAliveTimeout.NONE;

  BackendChannel(ChannelPool pool) {
    this.pool = pool;
  }

  /** Whether this connection carried an exchange before: then the backend may have closed it meanwhile. */
  public boolean reused() {
    return reused;
  }

  public void begin(BackendExchange next) {
    exchange = next;
  }

  public void write(Object message) {
    channel.write(message, channel.voidPromise());
  }

  public void writeAndFlush(Object message) {
    channel.writeAndFlush(message, channel.voidPromise());
  }

  public boolean writable() {
    return channel.isWritable();
  }

  /** Off while the caller cannot take more of the answer: the backend's bytes wait in its socket. */
  public void autoRead(boolean on) {
    channel.config().setAutoRead(on);
  }

  /**
   * The exchange is complete on both sides and the backend keeps the connection: back to the pool,
   * for no longer than the answer's {@code Keep-Alive} header allows ({@link KeepAliveTimeout}).
   */
  public void release(String keepAliveHeader) {
    announcedMillis = KeepAliveTimeout.millis(keepAliveHeader);
    release();
  }

  /** Back to the pool unused, under what the backend's last answer announced. */
  public void release() {
    exchange = null;
    reused = true;
    pool.release(this, announcedMillis);
  }

  /** The exchange is over and the connection cannot carry another (or nobody can tell): closed. */
  public void discard() {
    exchange = null;
    channel.close();
  }

  /** For the test that a request's connection lives on its caller's event loop. */
  io.netty.channel.EventLoop eventLoop() {
    return channel.eventLoop();
  }

  void attach(Channel connected) {
    channel = connected;
  }

  boolean active() {
    return channel.isActive();
  }

  boolean usable(long now) {
    return channel.isActive() && now < expires;
  }

  void idleUntil(long deadline) {
    expires = deadline;
  }

  /** Counted out of its pool once, however it ended (a failed connect, a failed handshake, a close). */
  void forget() {
    if (!forgotten) {
      forgotten = true;
      pool.forget(this);
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object message) {
    BackendExchange current = exchange;
    if (current == null || !(message instanceof HttpObject http)) {
      ReferenceCountUtil.release(message);
      ctx.close();
      return;
    }
    current.read(http);
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (exchange != null && ctx.channel().isWritable()) {
      exchange.writable();
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    forget();
    fail(new ClosedChannelException());
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
    fail(cause);
  }

  private void fail(Throwable cause) {
    BackendExchange current = exchange;
    exchange = null;
    if (current != null) {
      current.broken(cause);
    }
  }
}
