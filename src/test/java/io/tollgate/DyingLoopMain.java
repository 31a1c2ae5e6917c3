package io.tollgate;

import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Tollgate as {@code Main} starts it, whose first event loop this class ends when a line arrives on
 * stdin. Netty ends a loop for good when an Error escapes it; no test can make Netty's own code
 * throw one on cue, so the loop is ended the other way a loop ends, and what follows is the same:
 * a loop that runs no more.
 */
public final class DyingLoopMain {
  private DyingLoopMain() {}

  public static void main(String[] args) throws Exception {
    Vertx vertx = Main.run(args);
    new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII)).readLine();
    EventExecutor loop = ((VertxInternal) vertx).nettyEventLoopGroup().iterator().next();
    loop.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
  }
}
