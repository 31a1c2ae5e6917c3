package io.tollgate.gateway;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.tollgate.gateway.netty.BackendChannel;
import io.tollgate.gateway.netty.BackendExchange;
import io.tollgate.gateway.netty.Origin;
import io.tollgate.http.RequestFacts;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.internal.buffer.BufferInternal;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One proxied request on one backend channel (the Netty-level proxy, {@link NettyForwarder}): the
 * caller's body out with back-pressure (the caller paused while the channel is not writable), the
 * answer back with back-pressure (the channel stops reading while the caller's response queue is
 * full), each answer chunk's pooled ByteBuf handed to Vert.x's response and released once written.
 * The behaviour is {@link Forwarder}'s: the route's timeout counts silence, a broken answer closes
 * the caller's connection and never ends the response as if it were complete, a caller gone mid-body
 * never looks like a complete body to the backend. Only its event loop uses it.
 */
final class NettyExchange implements BackendExchange, AnswerDeadlines.Late {
  private static final Logger log = LoggerFactory.getLogger(NettyExchange.class);

  final HttpServerRequest request;
  final RequestFacts facts;
  private final NettyForwarder forwarder;
  private final HttpServerResponse response;
  private final GatewayRoute route;
  private final HttpRequest head;
  private BackendChannel channel;
  private Origin origin;
  private AnswerDeadlines.Wait wait;
  private boolean bodyless;
  private boolean requestSent;
  private boolean callerPaused;
  private boolean readPaused;
  private boolean interim;
  private boolean answerBegun;
  private boolean keepAlive;
  private String keepAliveHeader;
  private boolean retried;
  private boolean reusedChannel;
  private long whole;

  NettyExchange(NettyForwarder forwarder, HttpServerRequest request, GatewayRoute route, RequestFacts facts,
      HttpRequest head) {
    this.forwarder = forwarder;
    this.request = request;
    this.response = request.response();
    this.route = route;
    this.facts = facts;
    this.head = head;
    holdCaller(); // the body waits until a backend connection takes it
  }

  /** The channel is this request's: the head goes out, then the body as the caller sends it. */
  void start(BackendChannel acquired, Origin to) {
    if (response.closed()) {
      acquired.release(); // the caller went away while the connection was made: it is still clean
      resumeCaller(); // and what was read of its body is freed by being delivered, to nobody (drop)
      return;
    }
    channel = acquired;
    origin = to;
    reusedChannel = acquired.reused();
    channel.begin(this);
    head.headers().set(HttpHeaderNames.HOST, to.hostHeader());
    wait = forwarder.deadlines().begin(route.config.timeout(), this);
    response.closeHandler(closed -> callerGone());
    if (ProxiedHeaders.hasNoBody(request)) {
      bodyless = true;
      sendBodyless();
      resumeCaller();
    } else if (request.version() == HttpVersion.HTTP_2 && request.getHeader("Content-Length") == null) {
      streamBody(true); // RFC 9113 §8.1: whether there is a body only its DATA frames tell
    } else {
      if (request.getHeader("Content-Length") == null) {
        HttpUtil.setTransferEncodingChunked(head, true);
      }
      channel.write(head);
      streamBody(false);
    }
  }

  private void sendBodyless() {
    channel.writeAndFlush(new DefaultFullHttpRequest(head.protocolVersion(), head.method(), head.uri(),
        Unpooled.EMPTY_BUFFER, head.headers(), EmptyHttpHeaders.INSTANCE));
    requestSent = true;
  }

  /**
   * The caller's body chunk by chunk, its bytes passed on as they are. {@code headLater}: an HTTP/2
   * request without Content-Length turns chunked at its first byte of body, and one without any
   * goes out with no body framing (a GET stays a GET without Transfer-Encoding).
   */
  private void streamBody(boolean headLater) {
    boolean[] headSent = {!headLater};
    request.handler(chunk -> {
      if (channel == null || chunk.length() == 0) {
        return; // the exchange ended (answered early, broken): the rest is read and dropped
      }
      if (!headSent[0]) {
        headSent[0] = true;
        HttpUtil.setTransferEncodingChunked(head, true);
        channel.write(head);
      }
      channel.writeAndFlush(new DefaultHttpContent(((BufferInternal) chunk).getByteBuf()));
      if (!channel.writable()) {
        holdCaller();
      }
    });
    request.exceptionHandler(err -> callerBroke());
    request.endHandler(ended -> {
      if (channel == null) {
        return;
      }
      if (!headSent[0]) {
        sendBodyless();
        return;
      }
      channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
      requestSent = true;
    });
    resumeCaller();
  }

  @Override
  public void writable() {
    resumeCaller();
  }

  @Override
  public void read(HttpObject message) {
    try {
      if (message.decoderResult().isFailure()) {
        ReferenceCountUtil.release(message);
        brokenOff(message.decoderResult().cause());
      } else if (message instanceof HttpResponse answer) {
        head(answer);
      } else if (message instanceof HttpContent content) {
        body(content);
      }
    } catch (RuntimeException unexpected) {
      drop();
      LastResort.answer(request, unexpected);
    }
  }

  /** The answer's head onto the caller's response; an interim 1xx answer is skipped (RFC 9110 §15.2). */
  private void head(HttpResponse answer) {
    int status = answer.status().code();
    if (status == 101) {
      brokenOff(new IllegalStateException("a 101 the gateway never asked for"));
      return;
    }
    wait.touch();
    if (status < 200) {
      interim = true;
      return;
    }
    answerBegun = true;
    keepAlive = HttpUtil.isKeepAlive(answer);
    keepAliveHeader = answer.headers().get(HttpHeaderNames.KEEP_ALIVE);
    ProxiedHeaders.answer(request, status, answer.status().reasonPhrase(), (MultiMap) answer.headers(), route.cors);
    whole = ProxiedHeaders.wholeBodyLength(response);
  }

  private void body(HttpContent content) {
    boolean last = content instanceof LastHttpContent;
    if (interim || !answerBegun) {
      content.release();
      interim &= !last; // an interim answer ends with its own empty last content
      return;
    }
    wait.touch();
    ByteBuf bytes = content.content();
    if (response.ended()) {
      content.release(); // ended with the whole body already
    } else if (bytes.readableBytes() == whole && !response.headWritten()) {
      // the whole declared body in one read (the usual small answer): head and body go out as one
      // message, one encoder pass and one promise instead of a write and an end (bench/PROFILE.md)
      released(response.end(buffer(bytes)), bytes);
    } else if (bytes.isReadable()) {
      released(response.write(buffer(bytes)), bytes);
      if (response.writeQueueFull()) {
        pauseReading();
      }
    } else {
      content.release();
    }
    if (last) {
      answered();
    }
  }

  private static Buffer buffer(ByteBuf bytes) {
    return BufferInternal.buffer(bytes);
  }

  /** Vert.x writes a pooled buffer without owning it: it goes back to the pool once written (or not). */
  private static void released(Future<Void> written, ByteBuf bytes) {
    written.onComplete(done -> bytes.release());
  }

  private void pauseReading() {
    readPaused = true;
    channel.autoRead(false);
    BackendChannel paused = channel;
    response.drainHandler(drained -> {
      if (readPaused && channel == paused) {
        readPaused = false;
        paused.autoRead(true);
      }
    });
  }

  /** The backend's answer is complete: the caller's too, and the connection goes back when the request is sent. */
  private void answered() {
    wait.answered();
    if (!response.ended()) {
      response.end();
    }
    BackendChannel done = channel;
    channel = null;
    if (readPaused) {
      readPaused = false;
      done.autoRead(true);
    }
    if (keepAlive && requestSent) {
      done.release(keepAliveHeader);
      return;
    }
    done.discard(); // an answer before the whole request (or a backend that closes): never reused mid-request
    resumeCaller(); // the rest of the caller's body is read and dropped
  }

  @Override
  public void broken(Throwable cause) {
    channel = null; // the channel let this exchange go already
    resumeCaller();
    try {
      if (mayRetry() && !response.closed()) {
        retried = true;
        wait.answered();
        forwarder.retry(this, origin);
        return;
      }
      stop(cause);
    } catch (RuntimeException unexpected) {
      LastResort.answer(request, unexpected);
    }
  }

  /** RFC 9112 §9.3.1: nothing of the answer came, the connection was a kept-alive one, the request repeatable. */
  private boolean mayRetry() {
    return !retried && !answerBegun && !interim && bodyless && origin != null && reusedChannel && idempotent();
  }

  private boolean idempotent() {
    HttpMethod method = request.method();
    return method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS
        || method == HttpMethod.TRACE || method == HttpMethod.PUT || method == HttpMethod.DELETE;
  }

  @Override
  public void late(TimeoutException timeout) {
    drop();
    stop(timeout);
  }

  private void brokenOff(Throwable cause) {
    drop();
    stop(cause);
  }

  /** No answer yet: 502 or 504; an answer begun: the caller's connection closes (a truncated body must not look complete). */
  private void stop(Throwable cause) {
    wait.answered();
    if (!answerBegun) {
      failed(cause);
      return;
    }
    if (!response.ended()) {
      log.debug("answer of {} broke off: {}", request.path(), cause.toString());
      request.connection().close();
    }
  }

  /** No backend could be reached, or none answered: CONTRACT §6's 502 or 504. */
  void failed(Throwable cause) {
    BackendFailure.answer(request, route, cause, facts, forwarder.metrics());
    resumeCaller(); // the body no backend takes is read and dropped, which frees what was read of it (drop)
  }

  /** The caller went away: nobody reads the rest, so the backend connection closes (Vert.x reset it). */
  private void callerGone() {
    if (wait != null) {
      wait.answered();
    }
    drop();
  }

  /** The caller's body broke off: the backend must see a broken body, never an ended one. */
  private void callerBroke() {
    drop();
  }

  /**
   * The backend connection closes; a caller paused for it is resumed, because what Vert.x read from
   * it meanwhile waits undelivered in pooled direct buffers, which only a delivery releases (a closed
   * connection's are never released: direct memory runs out and takes the event loop with it). What
   * is delivered now is dropped.
   */
  private void drop() {
    BackendChannel held = channel;
    channel = null;
    if (held != null) {
      held.discard();
    }
    resumeCaller();
  }

  private void holdCaller() {
    callerPaused = true;
    request.pause();
  }

  /** Every end of an exchange comes here: a caller held back must never stay so (drop). */
  private void resumeCaller() {
    if (callerPaused) {
      callerPaused = false;
      request.resume();
    }
  }
}
