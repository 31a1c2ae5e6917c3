package io.tollgate.ops;

import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Notices an event loop of Vert.x that has ended while Tollgate runs. Netty ends a loop for good
 * when an Error escapes it (an {@code OutOfDirectMemoryError} while reading, for one: bench/PROFILE.md,
 * "Fifth pass"); the process then stays up, and the connections that loop held, or is handed
 * next, are never served. A loop cannot be started again, so the watch tells its owner, which exits
 * for the supervisor to start Tollgate afresh. It looks from a thread of its own: a loop cannot
 * report its own end. A loop Netty has not started yet (Vert.x makes more than it uses) is not ended.
 */
public final class EventLoopWatch {
  private final Map<EventExecutor, String> names = new LinkedHashMap<>();
  private final Consumer<String> onEnded;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(task -> {
    Thread thread = new Thread(task, "tollgate-loop-watch");
    thread.setDaemon(true);
    return thread;
  });

  private EventLoopWatch(VertxInternal vertx, Consumer<String> onEnded) {
    this.onEnded = onEnded;
    add(vertx.acceptorEventLoopGroup(), "acceptor event loop");
    add(vertx.nettyEventLoopGroup(), "event loop");
  }

  /** Looks every {@code period}; {@code onEnded} gets the ended loop's name, once. */
  public static EventLoopWatch start(Vertx vertx, Duration period, Consumer<String> onEnded) {
    EventLoopWatch watch = new EventLoopWatch((VertxInternal) vertx, onEnded);
    watch.timer.scheduleWithFixedDelay(watch::look, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    return watch;
  }

  private void add(Iterable<EventExecutor> group, String kind) {
    int index = 0;
    for (EventExecutor loop : group) {
      names.put(loop, kind + " " + index++);
    }
  }

  private void look() {
    for (Map.Entry<EventExecutor, String> loop : names.entrySet()) {
      if (loop.getKey().isShuttingDown()) {
        timer.shutdown();
        onEnded.accept(loop.getValue());
        return;
      }
    }
  }

  /** Before a stop, which ends every loop on purpose. */
  public void stop() {
    timer.shutdownNow();
  }
}
