package io.tollgate.ops;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Token buckets by key: up to {@code perMinute} requests at once, refilled at {@code perMinute} per
 * minute. In memory per instance, so behind N instances a key gets up to N times the figure.
 */
final class RateLimiter {
  private static final int MAX_KEYS = 200_000;

  private final double capacity;
  private final double refillPerNano;
  private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

  RateLimiter(int perMinute) {
    this.capacity = perMinute;
    this.refillPerNano = perMinute / 60e9;
  }

  /** 0 when the request may go ahead, else the seconds until it could. */
  long acquire(String key) {
    if (buckets.size() >= MAX_KEYS) {
      sweep(); // a flood of distinct keys: forget the idle ones rather than grow without bound
    }
    return buckets.computeIfAbsent(key, k -> new Bucket(capacity)).take(System.nanoTime());
  }

  /** Drops buckets that have refilled: they hold no information. */
  void sweep() {
    long now = System.nanoTime();
    buckets.values().removeIf(bucket -> bucket.full(now));
  }

  private final class Bucket {
    private double tokens;
    private long updated = System.nanoTime();

    Bucket(double tokens) {
      this.tokens = tokens;
    }

    synchronized long take(long now) {
      refill(now);
      if (tokens >= 1) {
        tokens -= 1;
        return 0;
      }
      return Math.max(1, (long) Math.ceil((1 - tokens) / refillPerNano / 1e9));
    }

    synchronized boolean full(long now) {
      refill(now);
      return tokens >= capacity;
    }

    private void refill(long now) {
      tokens = Math.min(capacity, tokens + (now - updated) * refillPerNano);
      updated = now;
    }
  }
}
