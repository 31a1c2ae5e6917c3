package io.tollgate.gateway.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.util.ArrayDeque;

/**
 * One event loop's keep-alive connections to one {@link Origin}: at most {@code max} open, idle
 * ones reused newest first (the oldest then age out), requests beyond the bound waiting in turn, as
 * in Vert.x's HttpClient pool. Only its event loop uses it.
 */
final class ChannelPool {
  private final BackendChannels owner;
  private final Origin origin;
  private final ArrayDeque<BackendChannel> idle = new ArrayDeque<>();
  private final ArrayDeque<BackendChannels.Acquirer> waiting = new ArrayDeque<>();
  private int open;
  private boolean closed;

  ChannelPool(BackendChannels owner, Origin origin) {
    this.owner = owner;
    this.origin = origin;
  }

  void acquire(BackendChannels.Acquirer who) {
    BackendChannel channel = newestIdle(System.currentTimeMillis());
    if (channel != null) {
      who.acquired(channel);
    } else if (open < owner.maxPerOrigin) {
      connect(who);
    } else {
      waiting.add(who);
    }
  }

  /** A fresh connection, never a pooled one: for a retry after a reused one broke (RFC 9112 §9.3.1). */
  void connectNew(BackendChannels.Acquirer who) {
    if (open < owner.maxPerOrigin) {
      connect(who);
    } else {
      waiting.add(who);
    }
  }

  private BackendChannel newestIdle(long now) {
    while (!idle.isEmpty()) {
      BackendChannel channel = idle.pollLast();
      if (channel.usable(now)) {
        return channel;
      }
      channel.discard();
    }
    return null;
  }

  void release(BackendChannel channel, long announcedMillis) {
    long idleMillis = KeepAliveTimeout.idleMillis(owner.keepAliveMillis, announcedMillis);
    if (closed || !channel.active() || idleMillis <= 0) {
      channel.discard();
      return;
    }
    BackendChannels.Acquirer next = waiting.poll();
    if (next != null) {
      next.acquired(channel);
      return;
    }
    long now = System.currentTimeMillis();
    channel.idleUntil(now + idleMillis);
    idle.addLast(channel);
    BackendChannel oldest = idle.peekFirst();
    if (!oldest.usable(now)) { // what nobody used for the keep-alive timeout goes, as Vert.x's pool let it
      idle.pollFirst().discard();
    }
  }

  /** A connection of this pool ended (or never began): its place goes to the next waiting request. */
  void forget(BackendChannel channel) {
    open--;
    idle.remove(channel);
    if (!closed && !waiting.isEmpty() && open < owner.maxPerOrigin) {
      connect(waiting.poll());
    }
  }

  void close() {
    closed = true;
    while (!idle.isEmpty()) {
      idle.poll().discard();
    }
    Throwable gone = new IllegalStateException("the gateway's backend connections are closed");
    while (!waiting.isEmpty()) {
      waiting.poll().failed(gone);
    }
  }

  private void connect(BackendChannels.Acquirer who) {
    if (origin.tls != null && !origin.tls.context().isComplete()) {
      // the TLS context is still being read from its files, on a worker: come back to this loop after
      origin.tls.context().onComplete(loaded -> owner.loop.execute(() -> connect(who)));
      return;
    }
    if (origin.tls != null && origin.tls.context().failed()) {
      who.failed(origin.tls.context().cause());
      return;
    }
    SslContext tls = origin.tls == null ? null : origin.tls.context().result();
    open++;
    BackendChannel backend = new BackendChannel(this);
    ChannelFuture connecting = owner.bootstrap().handler(new ChannelInitializer<Channel>() {
      @Override
      protected void initChannel(Channel channel) {
        backend.attach(channel);
        if (tls != null) {
          channel.pipeline().addLast("ssl", BackendTls.handler(tls, channel.alloc(), origin.host, origin.port));
        }
        channel.pipeline().addLast("codec", owner.codec()).addLast("relay", backend);
      }
    }).connect(owner.address(origin));
    connecting.addListener(done -> {
      if (!done.isSuccess()) {
        backend.forget();
        who.failed(done.cause());
      } else if (tls == null) {
        who.acquired(backend);
      } else {
        handshake(connecting.channel(), backend, who);
      }
    });
  }

  /** The channel counts as connected once TLS is up; a failed handshake closes it, which forgets it. */
  private static void handshake(Channel channel, BackendChannel backend, BackendChannels.Acquirer who) {
    channel.pipeline().get(SslHandler.class).handshakeFuture().addListener(shaken -> {
      if (shaken.isSuccess()) {
        who.acquired(backend);
      } else {
        channel.close();
        who.failed(shaken.cause());
      }
    });
  }
}
