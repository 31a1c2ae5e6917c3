package io.tollgate;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * HTTP/2 with prior knowledge, written by hand over a socket (RFC 9113 §3.3): the request's HPACK
 * block is literal fields without Huffman coding, so every name and value arrives byte for byte as
 * given, CR, LF, spaces and colons included, which no validating client would send. The answer's
 * header block is decoded with Netty's HPACK decoder. The connection is h2c on a plain port or TLS
 * with ALPN h2 (RFC 9113 §3.2), the same frames over either.
 */
public final class RawHttp2 {
  private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  private RawHttp2() {}

  /**
   * The answer's {@code :status} (-1: no answer before the timeout, -2: stream reset, -3: GOAWAY), body,
   * and header fields (names lowercase, as HTTP/2 sends them; the first value of each).
   */
  public record Answer(int status, String body, long millis, java.util.Map<String, String> headers) {
    Answer(int status, String body, long millis) {
      this(status, body, millis, java.util.Map.of());
    }

    public String header(String name) {
      return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }
  }

  /**
   * Where the frames go: {@code tls} null is h2c with prior knowledge; otherwise a TLS connection
   * trusting {@code tls}, with SNI and hostname check for {@code serverName}, offering only h2 by ALPN.
   */
  public record Transport(String name, int port, SSLContext tls, String serverName) {
    public static Transport h2c(int port) {
      return new Transport("h2c", port, null, null);
    }

    public static Transport tls(int port, SSLContext trust, String serverName) {
      return new Transport("TLS + ALPN h2", port, trust, serverName);
    }

    /** The {@code :scheme} a client sends on this connection. */
    public String scheme() {
      return tls == null ? "http" : "https";
    }

    /** A connected socket; over TLS handshaken, and refused unless the server chose h2. */
    Socket open() throws IOException {
      Socket plain = new Socket("127.0.0.1", port);
      plain.setSoTimeout(5_000);
      if (tls == null) {
        return plain;
      }
      SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(plain, serverName, port, true);
      SSLParameters parameters = socket.getSSLParameters();
      parameters.setServerNames(List.of(new SNIHostName(serverName)));
      parameters.setEndpointIdentificationAlgorithm("HTTPS");
      parameters.setApplicationProtocols(new String[] {"h2"});
      socket.setSSLParameters(parameters);
      socket.startHandshake();
      if (!"h2".equals(socket.getApplicationProtocol())) {
        socket.close();
        throw new IllegalStateException("ALPN chose '" + socket.getApplicationProtocol() + "', not h2");
      }
      return socket;
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** A request of {@code fields} (pseudo-headers first, as pairs) on h2c at {@code port}. */
  public static Answer exchange(int port, List<String[]> fields, String body) {
    return exchange(Transport.h2c(port), fields, body);
  }

  /** A request of {@code fields} (pseudo-headers first, as pairs), ended at once when {@code body} is null. */
  public static Answer exchange(Transport transport, List<String[]> fields, String body) {
    long start = System.nanoTime();
    try (Socket socket = transport.open()) {
      OutputStream out = socket.getOutputStream();
      out.write(PREFACE);
      frame(out, 0x4, 0, 0, new byte[0]); // SETTINGS, all defaults
      frame(out, 0x1, 0x4 | (body == null ? 0x1 : 0), 1, block(fields));
      if (body != null) {
        frame(out, 0x0, 0x1, 1, body.getBytes(StandardCharsets.UTF_8));
      }
      out.flush();
      return read(new DataInputStream(socket.getInputStream()), out, start);
    } catch (SocketTimeoutException silent) {
      return new Answer(-1, "", (System.nanoTime() - start) / 1_000_000);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A GET for {@code path} on {@code authority}, with extra fields as name, value pairs. */
  public static Answer get(int port, String authority, String path, String... extra) {
    return get(Transport.h2c(port), authority, path, extra);
  }

  /** The same over {@code transport}, with its {@code :scheme}. */
  public static Answer get(Transport transport, String authority, String path, String... extra) {
    List<String[]> fields = new java.util.ArrayList<>(List.of(new String[] {":method", "GET"},
        new String[] {":scheme", transport.scheme()}, new String[] {":authority", authority}, new String[] {":path", path}));
    for (int i = 0; i + 1 < extra.length; i += 2) {
      fields.add(new String[] {extra[i], extra[i + 1]});
    }
    return exchange(transport, fields, null);
  }

  private static Answer read(DataInputStream in, OutputStream out, long start) throws IOException {
    int status = 0;
    java.util.Map<String, String> fields = new java.util.LinkedHashMap<>();
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    DefaultHttp2HeadersDecoder decoder = new DefaultHttp2HeadersDecoder(false);
    while (true) {
      int length = in.readUnsignedShort() << 8 | in.readUnsignedByte();
      int type = in.readUnsignedByte();
      int flags = in.readUnsignedByte();
      int stream = in.readInt() & 0x7fffffff;
      byte[] payload = in.readNBytes(length);
      long millis = (System.nanoTime() - start) / 1_000_000;
      if (type == 0x4 && (flags & 0x1) == 0) {
        frame(out, 0x4, 0x1, 0, new byte[0]); // SETTINGS ACK
        out.flush();
      } else if (type == 0x3 && stream == 1) {
        return new Answer(-2, "", millis);
      } else if (type == 0x7) {
        return new Answer(status == 0 ? -3 : status, data.toString(StandardCharsets.UTF_8), millis, fields);
      } else if (type == 0x1 && stream == 1) {
        int padding = (flags & 0x8) != 0 ? payload[0] & 0xff : 0;
        int skip = ((flags & 0x8) != 0 ? 1 : 0) + ((flags & 0x20) != 0 ? 5 : 0); // pad length, priority
        ByteBuf block = Unpooled.wrappedBuffer(payload, skip, payload.length - skip - padding);
        try {
          Http2Headers headers = decoder.decodeHeaders(1, block);
          status = Integer.parseInt(headers.status().toString());
          headers.forEach(field -> fields.putIfAbsent(field.getKey().toString(), field.getValue().toString()));
        } catch (io.netty.handler.codec.http2.Http2Exception e) {
          throw new IOException("flags " + flags + ", block " + io.netty.buffer.ByteBufUtil.hexDump(payload), e);
        }
        if ((flags & 0x1) != 0) {
          return new Answer(status, "", millis, fields);
        }
      } else if (type == 0x0 && stream == 1) {
        data.write(payload);
        if ((flags & 0x1) != 0) {
          return new Answer(status, data.toString(StandardCharsets.UTF_8), millis, fields);
        }
      }
    }
  }

  /** RFC 7541 §6.2.2 literal fields without indexing, new names, no Huffman coding. */
  private static byte[] block(List<String[]> fields) {
    ByteArrayOutputStream block = new ByteArrayOutputStream();
    for (String[] field : fields) {
      block.write(0x00);
      string(block, field[0].getBytes(StandardCharsets.UTF_8));
      string(block, field[1].getBytes(StandardCharsets.UTF_8));
    }
    return block.toByteArray();
  }

  /** RFC 7541 §5.1 integer with a 7-bit prefix, then the octets. */
  private static void string(ByteArrayOutputStream out, byte[] octets) {
    int n = octets.length;
    if (n < 127) {
      out.write(n);
    } else {
      out.write(127);
      n -= 127;
      while (n >= 128) {
        out.write(n % 128 + 128);
        n /= 128;
      }
      out.write(n);
    }
    out.writeBytes(octets);
  }

  private static void frame(OutputStream out, int type, int flags, int stream, byte[] payload) throws IOException {
    int n = payload.length;
    out.write(new byte[] {(byte) (n >>> 16), (byte) (n >>> 8), (byte) n, (byte) type, (byte) flags,
        (byte) (stream >>> 24), (byte) (stream >>> 16), (byte) (stream >>> 8), (byte) stream});
    out.write(payload);
  }
}
