package io.tollgate.gateway.netty;

import io.netty.handler.codec.http.HttpObject;

/** One request's use of a {@link BackendChannel}: it hears what the backend sends until it lets the channel go. */
public interface BackendExchange {
  /** An answer head ({@code HttpResponse}) or a piece of its body ({@code HttpContent}), decoder result unchecked. */
  void read(HttpObject message);

  /** The connection broke (closed, failed to write, reset) while this exchange held it. */
  void broken(Throwable cause);

  /** The channel can take writes again after it could not. */
  void writable();
}
