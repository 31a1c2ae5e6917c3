package io.tollgate.http;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * New request, trace and span ids as lowercase hex: from {@link ThreadLocalRandom}, as the
 * OpenTelemetry SDK's own RandomIdGenerator does, since these ids must be unique, not unguessable
 * (W3C Trace Context §3.2.2.3 asks for randomness, not secrecy), and a SecureRandom or a UUID string
 * on every request is a cost the gateway's hot path need not pay.
 */
final class Ids {
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private Ids() {}

  /** 128 random bits as 32 hex characters, never all zeros (an invalid trace-id, §3.2.2.3). */
  static String hex128() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long high;
    long low;
    do {
      high = random.nextLong();
      low = random.nextLong();
    } while (high == 0 && low == 0);
    byte[] out = new byte[32];
    hex(high, out, 0);
    hex(low, out, 16);
    return new String(out, StandardCharsets.ISO_8859_1);
  }

  /** 64 random bits as 16 hex characters, never all zeros (an invalid parent-id, §3.2.2.4). */
  static String hex64() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long value;
    do {
      value = random.nextLong();
    } while (value == 0);
    byte[] out = new byte[16];
    hex(value, out, 0);
    return new String(out, StandardCharsets.ISO_8859_1);
  }

  private static void hex(long value, byte[] out, int at) {
    for (int i = 15; i >= 0; i--) {
      out[at + i] = HEX[(int) (value & 0xf)];
      value >>>= 4;
    }
  }
}
