package io.tollgate.gateway.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** What a backend's {@code Keep-Alive} header makes of the pool's idle time (BackendConnectionsTest sees it used). */
class KeepAliveTimeoutTest {
  @Test
  void theTimeoutParameterIsReadInAnyCaseAndPosition() {
    assertEquals(5_000, KeepAliveTimeout.millis("timeout=5"));
    assertEquals(5_000, KeepAliveTimeout.millis("max=100, Timeout=5"));
    assertEquals(15_000, KeepAliveTimeout.millis(" timeout=15 ,max=3"));
    assertEquals(0, KeepAliveTimeout.millis("timeout=0"));
  }

  @Test
  void anythingElseAnnouncesNothing() {
    for (String header : new String[] {null, "", "max=100", "timeout=", "timeout=5s", "timeout=-1", "timeout = 5",
        "timeout=99999999999", "xtimeout=5"}) {
      assertEquals(KeepAliveTimeout.NONE, KeepAliveTimeout.millis(header), String.valueOf(header));
    }
  }

  @Test
  void theShorterOfThePoolsAndTheBackendsTimeoutWinsWithAMargin() {
    assertEquals(60_000, KeepAliveTimeout.idleMillis(60_000, KeepAliveTimeout.NONE));
    assertEquals(60_000, KeepAliveTimeout.idleMillis(60_000, 300_000 + KeepAliveTimeout.MARGIN_MILLIS));
    assertEquals(5_000 - KeepAliveTimeout.MARGIN_MILLIS, KeepAliveTimeout.idleMillis(60_000, 5_000));
    assertEquals(-KeepAliveTimeout.MARGIN_MILLIS, KeepAliveTimeout.idleMillis(60_000, 0), "timeout=0: not kept");
  }
}
