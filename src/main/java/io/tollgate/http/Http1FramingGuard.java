package io.tollgate.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.tollgate.oauth.OAuthError;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;

/**
 * Reads the HTTP/1 byte stream alongside Netty's decoder, one step ahead of it, and closes the
 * connection with a 400 where the decoder would be lenient in a way another server on the path could
 * read differently (RFC 9112 §11.2, request smuggling). Netty 4.2's chunk-size parser keeps the value
 * in an int and only notices an overflow that turns it negative, so {@code 10000000000000005} is read
 * as 5; it stops at the first space or control character, so {@code 5 junk} is 5; and a Content-Length
 * of {@code 005} is taken and passed on as written. Bytes pass through unchanged; a read that holds a
 * refused line is not passed on at all. An HTTP/2 connection (the prior-knowledge preface, or after a
 * 101 to an h2c upgrade) is none of its business: it steps out of the pipeline.
 */
final class Http1FramingGuard extends ChannelDuplexHandler {
  static final String NAME = "tollgateFramingGuard";
  private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  /** Longest line kept: header names and framing values are short; a longer framing line is refused. */
  private static final int KEPT = 256;

  private enum State { PREFACE, HEAD, BODY, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILERS, REFUSED }

  private final byte[] line = new byte[KEPT];
  private State state = State.PREFACE;
  private boolean placed;
  private int preface;
  private int lineLength;
  private int lines;
  private boolean chunked;
  private long contentLength = -1;
  private boolean upgradeAsked;
  private long remaining;
  private int crlf;

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf bytes)) {
      ctx.fireChannelRead(msg);
      return;
    }
    if (!placed && behindTls(ctx)) {
      ctx.fireChannelRead(msg);
      return;
    }
    if (state == State.REFUSED) {
      bytes.release();
      return;
    }
    boolean http2 = false;
    try {
      http2 = !scan(bytes);
    } catch (Refused refused) {
      bytes.release();
      state = State.REFUSED;
      ctx.writeAndFlush(Unpooled.wrappedBuffer(refusal())).addListener(ChannelFutureListener.CLOSE);
      return;
    }
    if (http2) {
      ctx.pipeline().remove(this);
    }
    ctx.fireChannelRead(msg);
  }

  /**
   * The 400, written before any request object exists; it has a request id all the same, new since
   * the caller's cannot be trusted to have been read (README, "Request ids and tracing").
   */
  private static byte[] refusal() {
    String id = RequestId.generate();
    String body = new JsonObject().put("error", OAuthError.INVALID_REQUEST.code())
        .put("error_description", "malformed message framing").put("request_id", id).encode();
    return ("HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: " + body.length()
        + "\r\n" + RequestId.HEADER + ": " + id + "\r\nConnection: close\r\n\r\n" + body)
        .getBytes(StandardCharsets.US_ASCII);
  }

  /** On a TLS connection the guard belongs after the TLS handler, where the bytes are HTTP. */
  private boolean behindTls(ChannelHandlerContext ctx) {
    placed = true;
    ChannelHandlerContext tls = ctx.pipeline().context("ssl");
    if (tls == null) {
      return false;
    }
    ctx.pipeline().remove(this);
    Http1FramingGuard plaintext = new Http1FramingGuard();
    plaintext.placed = true;
    ctx.pipeline().addAfter(tls.name(), NAME, plaintext);
    return true;
  }

  /** After a 101 to an upgrade the bytes are another protocol's. */
  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (upgradeAsked && msg instanceof ByteBuf bytes && bytes.readableBytes() >= 12
        && bytes.toString(bytes.readerIndex(), 12, StandardCharsets.US_ASCII).equals("HTTP/1.1 101")) {
      ctx.pipeline().remove(this);
    }
    ctx.write(msg, promise);
  }

  /** False when the connection turned out to be HTTP/2; throws {@link Refused}. */
  private boolean scan(ByteBuf bytes) {
    int i = bytes.readerIndex();
    int end = bytes.writerIndex();
    while (i < end) {
      switch (state) {
        case PREFACE -> {
          if (bytes.getByte(i) == PREFACE[preface]) {
            i++;
            if (++preface == PREFACE.length) {
              return false;
            }
          } else if (preface >= 4) {
            throw new Refused(); // RFC 9113 §3.4: "PRI *" is the HTTP/2 preface, never an HTTP/1 request
          } else {
            state = State.HEAD; // what matched was the start of a request line
            lineLength = preface;
          }
        }
        case HEAD, CHUNK_SIZE, TRAILERS -> {
          int lf = bytes.indexOf(i, end, (byte) '\n');
          int stop = lf < 0 ? end : lf;
          int kept = Math.min(stop - i, KEPT - Math.min(lineLength, KEPT));
          bytes.getBytes(i, line, Math.min(lineLength, KEPT), kept);
          lineLength += stop - i;
          i = stop;
          if (lf >= 0) {
            i++;
            lineEnded();
          }
        }
        case BODY, CHUNK_DATA -> {
          int n = (int) Math.min(remaining, end - i);
          i += n;
          remaining -= n;
          if (remaining == 0) {
            state = state == State.BODY ? State.HEAD : State.CHUNK_END;
            crlf = 0;
          }
        }
        case CHUNK_END -> {
          // RFC 9112 §7.1: chunk-data is followed by CRLF, exactly
          if (bytes.getByte(i++) != (crlf == 0 ? '\r' : '\n')) {
            throw new Refused();
          }
          if (++crlf == 2) {
            state = State.CHUNK_SIZE;
          }
        }
        default -> i = end;
      }
    }
    return true;
  }

  private void lineEnded() {
    boolean cut = lineLength > KEPT;
    int n = Math.min(lineLength, KEPT);
    boolean withCr = n > 0 && line[n - 1] == '\r';
    if (withCr && !cut) {
      n--;
    }
    lineLength = 0;
    switch (state) {
      case CHUNK_SIZE -> chunkSize(n, cut, withCr);
      case TRAILERS -> {
        if (n == 0 && !cut) {
          state = State.HEAD;
        } else if (line[0] == ' ' || line[0] == '\t') {
          throw new Refused();
        }
      }
      default -> headLine(n, cut);
    }
  }

  private void headLine(int n, boolean cut) {
    if (n == 0 && !cut) {
      if (lines > 0) {
        endOfHead();
      }
      return; // RFC 9112 §2.2: empty lines before a request line are ignored
    }
    if (lines++ == 0) {
      return; // the request line: the target is RequestTarget's business
    }
    if (line[0] == ' ' || line[0] == '\t') {
      throw new Refused(); // RFC 9112 §5.2: obs-fold, which the decoder would join to the field above
    }
    int colon = 0;
    while (colon < n && line[colon] != ':') {
      colon++;
    }
    if (colon == n || colon == 0) {
      return; // not a field: the decoder refuses it
    }
    if (line[colon - 1] == ' ' || line[colon - 1] == '\t') {
      throw new Refused(); // RFC 9112 §5.1: no whitespace between a field name and its colon
    }
    if (named(colon, "content-length")) {
      contentLength(value(colon + 1, n), cut);
    } else if (named(colon, "transfer-encoding")) {
      if (cut) {
        throw new Refused();
      }
      // as the decoder reads it (HttpUtil.isTransferEncodingChunked): chunked if any coding is
      chunked |= namesChunked(value(colon + 1, n));
    } else if (named(colon, "upgrade")) {
      upgradeAsked = true;
    }
  }

  private static boolean namesChunked(String codings) {
    for (int from = 0; from <= codings.length(); ) {
      int comma = codings.indexOf(',', from);
      int to = comma < 0 ? codings.length() : comma;
      if (codings.substring(from, to).trim().equalsIgnoreCase("chunked")) {
        return true;
      }
      from = to + 1;
    }
    return false;
  }

  /** {@link ContentLength#isPlain}, once per message. */
  private void contentLength(String value, boolean cut) {
    if (cut || contentLength >= 0 || !ContentLength.isPlain(value)) {
      throw new Refused();
    }
    contentLength = Long.parseLong(value);
  }

  private void endOfHead() {
    lines = 0;
    if (chunked) {
      state = State.CHUNK_SIZE;
    } else if (contentLength > 0) {
      state = State.BODY;
      remaining = contentLength;
    }
    chunked = false;
    contentLength = -1;
  }

  /**
   * RFC 9112 §7.1: chunk-size = 1*HEXDIG, then an optional chunk-ext ({@code ;name[=value]}, BWS
   * allowed before the {@code ;}), then CRLF. More than 16 digits, or a size the decoder's int cannot
   * hold, anything else after the digits, a bare LF or a control character is refused.
   */
  private void chunkSize(int n, boolean cut, boolean withCr) {
    if (cut || !withCr) {
      throw new Refused();
    }
    int digits = 0;
    long size = 0;
    while (digits < n && Character.digit(line[digits], 16) >= 0) {
      size = size * 16 + Character.digit(line[digits], 16);
      if (++digits > 16) {
        throw new Refused();
      }
    }
    if (digits == 0 || size > Integer.MAX_VALUE) {
      throw new Refused();
    }
    int i = digits;
    while (i < n && (line[i] == ' ' || line[i] == '\t')) {
      i++;
    }
    if (i < n && line[i] != ';' || i == n && i > digits) {
      throw new Refused();
    }
    for (; i < n; i++) {
      if (line[i] < 0x20 && line[i] != '\t' || line[i] == 0x7f) {
        throw new Refused();
      }
    }
    if (size == 0) {
      state = State.TRAILERS;
    } else {
      state = State.CHUNK_DATA;
      remaining = size;
    }
  }

  private boolean named(int length, String name) {
    if (length != name.length()) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      if ((line[i] | 0x20) != name.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** The field value without its optional whitespace (RFC 9110 §5.5). */
  private String value(int from, int to) {
    while (from < to && (line[from] == ' ' || line[from] == '\t')) {
      from++;
    }
    while (to > from && (line[to - 1] == ' ' || line[to - 1] == '\t')) {
      to--;
    }
    return new String(line, from, to - from, StandardCharsets.ISO_8859_1);
  }

  /** A refused line: no stack, it is the caller's error. */
  private static final class Refused extends RuntimeException {
    Refused() {
      super(null, null, false, false);
    }
  }
}
