package io.tollgate.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tollgate.ChildTollgate;
import io.tollgate.TestTollgate;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * README "The gateway with curl": bodies stream both ways. 100 MB up and down through a Tollgate whose whole heap is
 * 128 MB: a proxy that buffered either body would run out of memory.
 */
class StreamingTest {
  static final long SIZE = 100L * 1024 * 1024;
  static final int CHUNK = 64 * 1024;

  static Vertx vertx;
  static ChildTollgate tollgate;
  static String token;
  static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    HttpServer backend = vertx.createHttpServer().requestHandler(req -> {
      if (req.path().equals("/stream/up")) {
        CRC32 crc = new CRC32();
        long[] bytes = {0};
        req.handler(chunk -> {
          bytes[0] += chunk.length();
          crc.update(chunk.getBytes());
        });
        req.endHandler(v -> req.response().end(new JsonObject().put("bytes", bytes[0]).put("crc", crc.getValue()).encode()));
      } else {
        download(req.response());
      }
    }).listen(0, "127.0.0.1").await();
    JsonObject config = TestTollgate.config("streaming");
    config.put("routes", new JsonArray().add(new JsonObject().put("path", "/stream/")
        .put("backends", new JsonArray().add("http://127.0.0.1:" + backend.actualPort()))
        .put("scopes", new JsonArray().add("profile"))));
    tollgate = ChildTollgate.start(config, "-Xmx128m");
    HttpResponse<String> issued = http.send(HttpRequest.newBuilder(tollgate.uri("/token"))
        .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("s6BhdRkqt3:gX1fBat3bV".getBytes()))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build(),
        HttpResponse.BodyHandlers.ofString());
    token = new JsonObject(issued.body()).getString("access_token");
  }

  @AfterAll
  static void stop() {
    if (tollgate != null) {
      tollgate.close();
    }
    vertx.close().await();
  }

  /** 100 MB of a repeating pattern, written as fast as the connection takes it. */
  private static void download(HttpServerResponse response) {
    response.setChunked(true);
    Buffer chunk = Buffer.buffer(pattern());
    long[] sent = {0};
    Runnable[] pump = new Runnable[1];
    pump[0] = () -> {
      while (sent[0] < SIZE && !response.writeQueueFull()) {
        response.write(chunk);
        sent[0] += CHUNK;
      }
      if (sent[0] >= SIZE) {
        response.end();
      } else {
        response.drainHandler(v -> pump[0].run());
      }
    };
    pump[0].run();
  }

  private static byte[] pattern() {
    byte[] bytes = new byte[CHUNK];
    for (int i = 0; i < CHUNK; i++) {
      bytes[i] = (byte) (i * 31 + 7);
    }
    return bytes;
  }

  @Test
  void a100MegabyteUploadStreamsThroughASmallHeap() throws Exception {
    CRC32 sentCrc = new CRC32();
    byte[] chunk = pattern();
    for (long n = 0; n < SIZE; n += CHUNK) {
      sentCrc.update(chunk);
    }
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(tollgate.uri("/stream/up"))
        .header("Authorization", "Bearer " + token)
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new PatternStream(chunk, SIZE))).build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    assertEquals(200, response.statusCode(), response.body() + tollgate.output());
    JsonObject seen = new JsonObject(response.body());
    assertEquals(SIZE, seen.getLong("bytes"));
    assertEquals(sentCrc.getValue(), seen.getLong("crc"));
  }

  @Test
  void a100MegabyteDownloadStreamsThroughASmallHeap() throws Exception {
    HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(tollgate.uri("/stream/down"))
        .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, response.statusCode());
    long bytes = 0;
    CRC32 crc = new CRC32();
    byte[] buffer = new byte[CHUNK];
    try (InputStream in = response.body()) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        bytes += n;
        crc.update(buffer, 0, n);
      }
    }
    assertEquals(SIZE, bytes);
    CRC32 expected = new CRC32();
    byte[] chunk = pattern();
    for (long n = 0; n < SIZE; n += CHUNK) {
      expected.update(chunk);
    }
    assertEquals(expected.getValue(), crc.getValue());
    assertTrue(tollgate.process().isAlive(), "and Tollgate is still running");
  }

  /** An input stream of {@code size} bytes repeating {@code chunk}, never held in memory at once. */
  private static final class PatternStream extends InputStream {
    private final byte[] chunk;
    private final long size;
    private long position;

    PatternStream(byte[] chunk, long size) {
      this.chunk = chunk;
      this.size = size;
    }

    @Override
    public int read() {
      return position < size ? chunk[(int) (position++ % chunk.length)] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (position >= size) {
        return -1;
      }
      int offset = (int) (position % chunk.length);
      int n = (int) Math.min(Math.min(len, chunk.length - offset), size - position);
      System.arraycopy(chunk, offset, b, off, n);
      position += n;
      return n;
    }
  }
}
