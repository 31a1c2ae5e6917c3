package io.tollgate.oauth;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * An {@code application/x-www-form-urlencoded} body, parsed strictly: invalid UTF-8, a broken
 * percent escape, a NUL and a repeated parameter (RFC 6749 §3.2) are all {@code invalid_request}.
 */
public final class Form {
  private final Map<String, String> values;

  private Form(Map<String, String> values) {
    this.values = values;
  }

  public static Form empty() {
    return new Form(Map.of());
  }

  public static Form parse(Buffer body) {
    return parse(body == null ? "" : decodeUtf8(body.getBytes()), "request body");
  }

  /**
   * RFC 6749 §3.2 and §4.1.3: the token endpoint and the login forms take an
   * {@code application/x-www-form-urlencoded} body only; anything else is {@code invalid_request}.
   */
  public static Form parseBody(String contentType, Buffer body) {
    if (!MediaType.is(contentType, MediaType.FORM)) {
      throw OAuthError.INVALID_REQUEST.because("the body must be " + MediaType.FORM);
    }
    return parse(body);
  }

  /** Parses an already-decoded query string or body. */
  public static Form parse(String encoded, String where) {
    Map<String, String> values = new HashMap<>();
    if (encoded == null || encoded.isEmpty()) {
      return new Form(values);
    }
    for (String pair : encoded.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = percentDecode(eq < 0 ? pair : pair.substring(0, eq), where);
      String value = eq < 0 ? "" : percentDecode(pair.substring(eq + 1), where);
      if (values.putIfAbsent(name, value) != null) {
        throw OAuthError.INVALID_REQUEST.because("parameter '" + safe(name) + "' is repeated");
      }
    }
    return new Form(values);
  }

  /** The value, or null when the parameter is absent or empty (RFC 6749 §3.1: empty = omitted). */
  public String get(String name) {
    String value = values.get(name);
    return value == null || value.isEmpty() ? null : value;
  }

  /** RFC 6749 §3.1: the first of {@code names} that is absent, as {@code invalid_request}; null when all are sent. */
  public OAuthException missing(String... names) {
    for (String name : names) {
      if (get(name) == null) {
        return OAuthError.INVALID_REQUEST.because("missing parameter '" + name + "'");
      }
    }
    return null;
  }

  /**
   * RFC 6749 §4.1.1 and §4.1.3 {@code redirect_uri}, or {@code redirect_url}, the spelling Profix clients
   * send; null when neither is sent. Both at once must agree, else {@code invalid_request}.
   */
  public Future<String> redirectUri() {
    String uri = get("redirect_uri");
    String url = get("redirect_url");
    if (uri != null && url != null && !uri.equals(url)) {
      return Future.failedFuture(OAuthError.INVALID_REQUEST.because("redirect_uri and redirect_url differ"));
    }
    return Future.succeededFuture(uri != null ? uri : url);
  }

  public boolean has(String name) {
    return get(name) != null;
  }

  private static String percentDecode(String s, String where) {
    if (s.indexOf('%') < 0 && s.indexOf('+') < 0) {
      checkControl(s, where);
      return s;
    }
    // percent-decoding works on the UTF-8 bytes (RFC 3986 §2.5), and '%' and '+' are ASCII, so a
    // byte-wise pass over the encoded bytes never splits a character and never outgrows them
    byte[] in = s.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[in.length];
    int n = 0;
    for (int i = 0; i < in.length; i++) {
      byte b = in[i];
      if (b == '+') {
        out[n++] = ' ';
      } else if (b == '%') {
        if (i + 2 >= in.length || hex(in[i + 1]) < 0 || hex(in[i + 2]) < 0) {
          throw OAuthError.INVALID_REQUEST.because("malformed percent-encoding in " + where);
        }
        out[n++] = (byte) (hex(in[i + 1]) << 4 | hex(in[i + 2]));
        i += 2;
      } else {
        out[n++] = b;
      }
    }
    byte[] exact = new byte[n];
    System.arraycopy(out, 0, exact, 0, n);
    String decoded = decodeUtf8(exact);
    checkControl(decoded, where);
    return decoded;
  }

  private static int hex(byte b) {
    return b < 0 ? -1 : Character.digit(b, 16);
  }

  private static void checkControl(String s, String where) {
    if (ControlCharacters.containsAny(s)) {
      throw OAuthError.INVALID_REQUEST.because("control characters are not allowed in " + where);
    }
  }

  private static String decodeUtf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw OAuthError.INVALID_REQUEST.because("the request is not valid UTF-8");
    }
  }

  private static String safe(String name) {
    return name.length() > 40 ? name.substring(0, 40) + "..." : name;
  }
}
