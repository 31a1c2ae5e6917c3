package io.tollgate.tls;

import io.netty.handler.ssl.OpenSslSessionTicketKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * {@code http.tls.ticketKeys}: session ticket keys shared by several instances, so that a client
 * resumes (RFC 8446 §2.2, RFC 5077) on whichever instance it reaches. One key a line, newest
 * first: the first encrypts new tickets, every one still decrypts. Each is 48 random bytes in
 * base64 ({@code openssl rand -base64 48}), laid out as nginx's 48-byte key files: name, HMAC key,
 * AES key, 16 bytes each. Blank lines and {@code #} comments are skipped.
 */
public final class TicketKeys {
  private static final int SIZE = 48;

  private TicketKeys() {}

  /** Reads the file (blocking). */
  public static OpenSslSessionTicketKey[] read(Path file) throws TlsException {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
    } catch (java.io.IOException | SecurityException e) {
      throw new TlsException("cannot read the ticket key file " + file + ": " + e.getClass().getSimpleName());
    }
    List<OpenSslSessionTicketKey> keys = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      byte[] key;
      try {
        key = Base64.getDecoder().decode(line);
      } catch (IllegalArgumentException e) {
        throw new TlsException("line " + (i + 1) + " of " + file + " is not base64");
      }
      if (key.length != SIZE) {
        throw new TlsException("line " + (i + 1) + " of " + file + " is not " + SIZE + " bytes (openssl rand -base64 48)");
      }
      keys.add(new OpenSslSessionTicketKey(Arrays.copyOfRange(key, 0, 16), Arrays.copyOfRange(key, 16, 32),
          Arrays.copyOfRange(key, 32, 48)));
      Arrays.fill(key, (byte) 0);
    }
    if (keys.isEmpty()) {
      throw new TlsException("no key in the ticket key file " + file);
    }
    return keys.toArray(OpenSslSessionTicketKey[]::new);
  }

  /** The one-line problem with the file, or null: for the start-up check. */
  public static String problem(Path file) {
    try {
      read(file);
      return null;
    } catch (TlsException e) {
      return e.getMessage();
    }
  }
}
