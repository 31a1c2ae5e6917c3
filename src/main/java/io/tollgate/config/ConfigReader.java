package io.tollgate.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads one section of the configuration tree, remembering which keys were read so that
 * {@link #finish()} can report the unknown ones. Problems are collected, never thrown, so that a
 * bad file is reported whole.
 */
final class ConfigReader {
  private final JsonObject json;
  private final String path;
  private final List<String> problems;
  private final Set<String> known = new HashSet<>();

  ConfigReader(JsonObject json, String path, List<String> problems) {
    this.json = json == null ? new JsonObject() : json;
    this.path = path;
    this.problems = problems;
  }

  String key(String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  void problem(String name, String message) {
    problems.add(key(name) + ": " + message);
  }

  boolean has(String name) {
    known.add(name);
    return json.getValue(name) != null;
  }

  String string(String name, String fallback) {
    known.add(name);
    Object value = json.getValue(name);
    if (value == null) {
      return fallback;
    }
    if (value instanceof String || value instanceof Number || value instanceof Boolean) {
      return value.toString();
    }
    problem(name, "expected a string, got " + describe(value));
    return fallback;
  }

  String requiredString(String name) {
    String value = string(name, null);
    if (value == null || value.isBlank()) {
      if (json.getValue(name) == null) {
        problem(name, "is required");
      }
      return null;
    }
    return value;
  }

  int integer(String name, int fallback, int min, int max) {
    known.add(name);
    Object value = json.getValue(name);
    if (value == null) {
      return fallback;
    }
    long parsed;
    if (value instanceof Integer || value instanceof Long) {
      parsed = ((Number) value).longValue();
    } else if (value instanceof String s && s.matches("-?\\d{1,10}")) {
      parsed = Long.parseLong(s);
    } else {
      problem(name, "expected an integer, got " + describe(value));
      return fallback;
    }
    if (parsed < min || parsed > max) {
      problem(name, "must be between " + min + " and " + max + ", got " + parsed);
      return fallback;
    }
    return (int) parsed;
  }

  boolean bool(String name, boolean fallback) {
    known.add(name);
    Object value = json.getValue(name);
    if (value == null) {
      return fallback;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    if (value instanceof String s && (s.equals("true") || s.equals("false"))) {
      return Boolean.parseBoolean(s);
    }
    problem(name, "expected true or false, got " + describe(value));
    return fallback;
  }

  /** A list of strings; a single string is accepted as a list of one. */
  List<String> strings(String name, List<String> fallback) {
    known.add(name);
    Object value = json.getValue(name);
    if (value == null) {
      return fallback;
    }
    if (value instanceof String s) {
      return List.of(s);
    }
    if (!(value instanceof JsonArray array)) {
      problem(name, "expected a list, got " + describe(value));
      return fallback;
    }
    List<String> result = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      Object item = array.getValue(i);
      if (item instanceof String || item instanceof Number) {
        result.add(item.toString());
      } else {
        problems.add(key(name) + "[" + i + "]: expected a string, got " + describe(item));
      }
    }
    return List.copyOf(result);
  }

  ConfigReader section(String name) {
    known.add(name);
    Object value = json.getValue(name);
    if (value != null && !(value instanceof JsonObject)) {
      problem(name, "expected a mapping, got " + describe(value));
      value = null;
    }
    return new ConfigReader((JsonObject) value, key(name), problems);
  }

  List<ConfigReader> sections(String name) {
    known.add(name);
    Object value = json.getValue(name);
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof JsonArray array)) {
      problem(name, "expected a list, got " + describe(value));
      return List.of();
    }
    List<ConfigReader> result = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      Object item = array.getValue(i);
      String itemPath = key(name) + "[" + i + "]";
      if (item instanceof JsonObject object) {
        result.add(new ConfigReader(object, itemPath, problems));
      } else {
        problems.add(itemPath + ": expected a mapping, got " + describe(item));
      }
    }
    return result;
  }

  /** Reports every key of this section that nobody asked for: a typo must not pass silently. */
  void finish() {
    for (String name : json.fieldNames()) {
      if (!known.contains(name)) {
        problem(name, "unknown key");
      }
    }
  }

  /** A required path to a file that exists. */
  Path existingFile(String name) {
    String value = requiredString(name);
    if (value == null) {
      return null;
    }
    Path path = Path.of(value);
    if (!Files.isRegularFile(path)) {
      problem(name, "file " + value + " does not exist");
    }
    return path;
  }

  private static String describe(Object value) {
    if (value instanceof JsonObject) {
      return "a mapping";
    }
    if (value instanceof JsonArray) {
      return "a list";
    }
    return "\"" + value + "\"";
  }
}
