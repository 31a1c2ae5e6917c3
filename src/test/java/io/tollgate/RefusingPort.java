package io.tollgate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * A loopback port that refuses every connection until {@link #release}: a socket bound to it but
 * never listening. A port found free and closed again could be taken by another program before the
 * test connects (other test runs share the machine), and then the "dead" backend would answer.
 */
public final class RefusingPort {
  private final Socket holder;

  private RefusingPort(Socket holder) {
    this.holder = holder;
  }

  public static RefusingPort take() {
    try {
      Socket holder = new Socket();
      holder.setReuseAddress(true);
      holder.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      return new RefusingPort(holder);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return holder.getLocalPort();
  }

  /** Frees the port for a server that the test starts on it. */
  public void release() {
    try {
      holder.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
