package io.tollgate.ops;

import static io.tollgate.TestTollgate.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tollgate.TestTollgate;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A database that takes longer than the pool's 5 s to give the first connection (a machine under
 * load, a database container still starting) delays the start instead of failing it: the timed-out
 * acquisition is tried again. Between Tollgate and a real PostgreSQL sits a relay that holds the
 * first connection for 7 s before it connects it through.
 */
class SlowDatabaseStartTest {
  static final long HOLD_MILLIS = 7_000;

  @Test
  void aFirstConnectionSlowerThanThePoolTimeoutDelaysTheStartInsteadOfFailingIt() {
    Vertx vertx = Vertx.vertx();
    AtomicInteger connections = new AtomicInteger();
    try {
      JsonObject config = TestTollgate.config("slow_db");
      URI database = URI.create(config.getJsonObject("database").getString("url"));
      NetServer relay = vertx.createNetServer().connectHandler(caller -> {
        caller.pause();
        long delay = connections.getAndIncrement() == 0 ? HOLD_MILLIS : 1;
        vertx.setTimer(delay, id -> vertx.createNetClient().connect(database.getPort(), database.getHost())
            .onSuccess(upstream -> splice(caller, upstream))
            .onFailure(err -> caller.close()));
      }).listen(0, "127.0.0.1").await();
      String through = database.toString().replace(":" + database.getPort() + "/", ":" + relay.actualPort() + "/");
      config.getJsonObject("database").put("url", through);
      long started = System.nanoTime();
      try (TestTollgate tollgate = TestTollgate.start(config)) {
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertTrue(millis >= 5_000, "the first acquisition timed out and was tried again: " + millis + " ms");
        JsonObject token = json(tollgate.postForm("/token", "s6BhdRkqt3:gX1fBat3bV", "grant_type", "client_credentials"));
        assertEquals("Bearer", token.getString("token_type"), token.encode());
      }
      assertTrue(connections.get() >= 2, "the held connection and the one after it: " + connections.get());
    } finally {
      vertx.close().await();
    }
  }

  private static void splice(NetSocket caller, NetSocket upstream) {
    caller.handler(upstream::write);
    upstream.handler(caller::write);
    caller.closeHandler(v -> upstream.close());
    upstream.closeHandler(v -> caller.close());
    caller.resume();
  }
}
