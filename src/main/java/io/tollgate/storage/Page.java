package io.tollgate.storage;

import java.util.List;
import java.util.function.Function;

/** One page of a keyset-paged list; {@code next} is the key to continue after, or null on the last page. */
public record Page<T>(List<T> items, String next) {

  /** From {@code limit + 1} rows in key order: the extra row only says that there is more. */
  static <T> Page<T> of(List<T> rows, int limit, Function<T, String> key) {
    if (rows.size() <= limit) {
      return new Page<>(List.copyOf(rows), null);
    }
    List<T> items = List.copyOf(rows.subList(0, limit));
    return new Page<>(items, key.apply(items.get(limit - 1)));
  }
}
