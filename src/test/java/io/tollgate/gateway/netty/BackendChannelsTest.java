package io.tollgate.gateway.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.EventLoop;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.internal.ContextInternal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Netty-level proxy's pools (bench/PROFILE.md "Fourth pass"): a connection lives on the event loop
 * of the request that made it, goes back to that loop's pool and is taken again from there, and no
 * more than the bound are open to one origin, the next request waiting its turn.
 */
class BackendChannelsTest {
  static Vertx vertx;
  static int port;
  static final AtomicInteger accepted = new AtomicInteger();

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    HttpServer backend = vertx.createHttpServer().connectionHandler(conn -> accepted.incrementAndGet())
        .requestHandler(req -> req.response().end("ok")).listen(0, "127.0.0.1").await();
    port = backend.actualPort();
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  @Test
  void aConnectionIsMadeOnTheCallersEventLoopAndReusedFromItsPool() throws Exception {
    CompletableFuture<List<Object>> seen = onAnEventLoop(1, (channels, origin) -> {
      EventLoop loop = ContextInternal.current().nettyEventLoop();
      channels.acquire(origin, acquirer(first -> {
        boolean firstFresh = !first.reused();
        boolean onLoop = first.eventLoop() == loop;
        first.release();
        channels.acquire(origin, acquirer(second -> result.complete(List.of(firstFresh, onLoop, second == first,
            second.reused()))));
      }));
    });
    assertEquals(List.of(true, true, true, true), seen.get(10, TimeUnit.SECONDS),
        "fresh, on the caller's loop, then the same channel again, marked reused");
  }

  @Test
  void beyondTheBoundARequestWaitsForTheConnectionInUse() throws Exception {
    int before = accepted.get();
    CompletableFuture<List<Object>> seen = onAnEventLoop(1, (channels, origin) -> {
      List<BackendChannel> got = new ArrayList<>();
      channels.acquire(origin, acquirer(first -> {
        got.add(first);
        channels.acquire(origin, acquirer(second -> result.complete(List.of(got.size(), second == first))));
        vertx.setTimer(100, id -> first.release()); // the second waited: it had no channel of its own
      }));
    });
    assertEquals(List.of(1, true), seen.get(10, TimeUnit.SECONDS));
    assertTrue(accepted.get() - before <= 1, "one connection for both");
  }

  @Test
  void theyMustBeMadeOnAnEventLoop() {
    IllegalStateException refused = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
        () -> BackendChannels.forCurrentEventLoop(vertx, new HttpClientOptions(), 1));
    assertFalse(refused.getMessage().isEmpty());
  }

  /** Where a test's callbacks put what they saw; one test at a time. */
  static CompletableFuture<List<Object>> result;

  private static CompletableFuture<List<Object>> onAnEventLoop(int bound, java.util.function.BiConsumer<BackendChannels, Origin> test) {
    result = new CompletableFuture<>();
    Context context = vertx.getOrCreateContext();
    context.runOnContext(v -> {
      try {
        test.accept(BackendChannels.forCurrentEventLoop(vertx, new HttpClientOptions(), bound),
            new Origin("127.0.0.1", port, null));
      } catch (RuntimeException e) {
        result.completeExceptionally(e);
      }
    });
    return result;
  }

  private static BackendChannels.Acquirer acquirer(Consumer<BackendChannel> then) {
    return new BackendChannels.Acquirer() {
      @Override
      public void acquired(BackendChannel channel) {
        then.accept(channel);
      }

      @Override
      public void failed(Throwable cause) {
        result.completeExceptionally(cause);
      }
    };
  }
}
