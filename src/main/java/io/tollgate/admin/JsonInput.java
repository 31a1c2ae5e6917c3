package io.tollgate.admin;

import io.tollgate.oauth.MediaType;
import io.tollgate.oauth.OAuthError;
import io.tollgate.oauth.OAuthException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A request body read strictly: {@code application/json} only, one JSON object, every field of the
 * expected type, and {@link #finish()} refuses the fields nobody asked for, so a typo (or a
 * {@code "secret"} someone hoped to set) never passes silently. Each refusal names its field.
 */
final class JsonInput {
  private final JsonObject json;
  private final Set<String> known = new HashSet<>();

  private JsonInput(JsonObject json) {
    this.json = json;
  }

  /** The body of the request, or a refusal: 415 for another media type, 400 for anything but a JSON object. */
  static JsonInput of(RoutingContext ctx) {
    if (!MediaType.is(ctx.request().getHeader("Content-Type"), MediaType.JSON)) {
      throw OAuthError.UNSUPPORTED_MEDIA_TYPE.because("the body must be application/json");
    }
    Buffer body = ctx.body() == null ? null : ctx.body().buffer();
    if (body == null || body.length() == 0) {
      throw OAuthError.INVALID_REQUEST.because("a JSON object is required as the body");
    }
    Object value;
    try {
      value = Json.decodeValue(body);
    } catch (DecodeException e) {
      throw OAuthError.INVALID_REQUEST.because("the body is not valid JSON");
    }
    if (!(value instanceof JsonObject object)) {
      throw OAuthError.INVALID_REQUEST.because("the body must be a JSON object");
    }
    return new JsonInput(object);
  }

  boolean has(String name) {
    known.add(name);
    return json.getValue(name) != null;
  }

  /** A string field: absent or null gives {@code fallback}; present, it must be a non-blank string. */
  String string(String name, String fallback) {
    known.add(name);
    Object value = json.getValue(name);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof String s) || s.isBlank()) {
      throw refuse(name, "must be a non-empty string");
    }
    return s;
  }

  String requiredString(String name) {
    String value = string(name, null);
    if (value == null) {
      throw refuse(name, "is required");
    }
    return value;
  }

  boolean bool(String name, boolean fallback) {
    known.add(name);
    Object value = json.getValue(name);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof Boolean b)) {
      throw refuse(name, "must be true or false");
    }
    return b;
  }

  /** An integer field within bounds, or null when absent. */
  Integer integer(String name, int min, int max) {
    known.add(name);
    Object value = json.getValue(name);
    if (value == null) {
      return null;
    }
    if (!(value instanceof Integer || value instanceof Long) || ((Number) value).longValue() < min
        || ((Number) value).longValue() > max) {
      throw refuse(name, "must be an integer from " + min + " to " + max);
    }
    return ((Number) value).intValue();
  }

  /** A list of strings without duplicates, or {@code fallback} when absent. */
  List<String> strings(String name, List<String> fallback) {
    known.add(name);
    Object value = json.getValue(name);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof JsonArray array)) {
      throw refuse(name, "must be a list of strings");
    }
    Set<String> items = new LinkedHashSet<>();
    for (Object item : array) {
      if (!(item instanceof String s) || s.isEmpty()) {
        throw refuse(name, "must be a list of non-empty strings");
      }
      if (!items.add(s)) {
        throw refuse(name, "lists '" + Shown.safe(s) + "' twice");
      }
    }
    return List.copyOf(new ArrayList<>(items));
  }

  /** Refuses every field that no reader asked for. */
  void finish() {
    for (String name : json.fieldNames()) {
      if (!known.contains(name)) {
        throw OAuthError.INVALID_REQUEST.because("unknown field '" + Shown.safe(name) + "'");
      }
    }
  }

  static OAuthException refuse(String field, String problem) {
    return OAuthError.INVALID_REQUEST.because("field '" + field + "' " + problem);
  }
}
