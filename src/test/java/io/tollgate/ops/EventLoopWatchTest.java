package io.tollgate.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.util.concurrent.EventExecutor;
import io.tollgate.ChildTollgate;
import io.tollgate.TestTollgate;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.VertxInternal;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** README "Operations": an event loop that ends while Tollgate runs makes it exit 70, for its supervisor to restart it. */
class EventLoopWatchTest {

  @Test
  void anEndedEventLoopIsReportedByItsIndexAndRunningOnesAreNot() throws Exception {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    BlockingQueue<String> ended = new ArrayBlockingQueue<>(4);
    EventLoopWatch watch = EventLoopWatch.start(vertx, Duration.ofMillis(50), ended::add);
    try {
      Iterator<EventExecutor> loops = ((VertxInternal) vertx).nettyEventLoopGroup().iterator();
      EventExecutor first = loops.next();
      EventExecutor second = loops.next();
      first.submit(() -> { }).await(); // both running, as under traffic
      second.submit(() -> { }).await();
      assertNull(ended.poll(300, TimeUnit.MILLISECONDS), "running loops are not reported");

      second.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
      assertEquals("event loop 1", ended.poll(5, TimeUnit.SECONDS));
      assertNull(ended.poll(300, TimeUnit.MILLISECONDS), "reported once");
    } finally {
      watch.stop();
      vertx.close().await();
    }
  }

  @Test
  void aStoppedWatchSaysNothingWhenVertxClosesItsLoops() throws Exception {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    BlockingQueue<String> ended = new ArrayBlockingQueue<>(4);
    EventLoopWatch watch = EventLoopWatch.start(vertx, Duration.ofMillis(20), ended::add);
    vertx.runOnContext(nothing -> { });
    watch.stop();
    vertx.close().await();
    assertNull(ended.poll(300, TimeUnit.MILLISECONDS));
  }

  @Test
  void tollgateExits70WhenOneOfItsEventLoopsEnds() throws Exception {
    ChildTollgate tollgate = ChildTollgate.start("io.tollgate.DyingLoopMain", TestTollgate.config("dying-loop"));
    try (tollgate) {
      OutputStream stdin = tollgate.process().getOutputStream();
      stdin.write("end a loop\n".getBytes(StandardCharsets.US_ASCII));
      stdin.flush();
      assertTrue(tollgate.process().waitFor(30, TimeUnit.SECONDS), "exits instead of serving on: " + tollgate.output());
      assertEquals(70, tollgate.process().exitValue(), tollgate.output());
      assertTrue(tollgate.output().contains("event loop 0 has ended"), tollgate.output());
    }
  }
}
