/*
 * LD_PRELOAD shim for wrk: makes every new connection a full TLS handshake.
 *
 * With `Connection: close`, wrk closes each connection with SSL_shutdown and SSL_clear and reuses
 * the same SSL object for the next one. SSL_clear keeps the session of a cleanly shut down
 * connection, so wrk's next handshake offers it (a TLS 1.2 session id or ticket, a TLS 1.3 PSK)
 * and the server resumes it: no certificate, no signature. Measured on nginx with
 * $ssl_session_reused, all but the first handshake per connection were resumptions. This drops
 * the session after SSL_clear, so that the client offers nothing to resume (RFC 8446 §2.2).
 * bench/run.sh compiles it into bench/.work/ (gcc, libssl-dev).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <openssl/ssl.h>

int SSL_clear(SSL *ssl) {
  static int (*real)(SSL *);
  if (!real) {
    real = (int (*)(SSL *))dlsym(RTLD_NEXT, "SSL_clear");
  }
  int ok = real(ssl);
  SSL_set_session(ssl, NULL);
  return ok;
}
