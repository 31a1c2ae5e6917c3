package io.tollgate.tls;

/** A certificate or key that cannot serve; the message is one line and never holds key material. */
public final class TlsException extends Exception {
  public TlsException(String message) {
    super(message, null, false, false);
  }
}
