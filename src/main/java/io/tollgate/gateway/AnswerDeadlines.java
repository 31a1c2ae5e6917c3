package io.tollgate.gateway;

import io.vertx.core.Vertx;
import java.util.Arrays;
import java.util.concurrent.TimeoutException;

/**
 * How long each in-flight request of one event loop may wait for its backend to say something: the
 * route's timeout, after which the request is reset; the caller gets a 504 when no answer had begun,
 * a closed connection when the answer fell silent halfway (README, "The gateway with curl"). One periodic
 * sweep checks every wait, instead of a timer scheduled and cancelled per request, which cost 3% of
 * the gateway's time (bench/PROFILE.md). Waits of the same length end in the order they began, so a
 * list per timeout, oldest first, is enough; an answered wait unlinks itself at once, so a slow
 * request never holds the answered ones behind it in memory. Only its event loop may use it.
 */
final class AnswerDeadlines implements AutoCloseable {
  /** How late a deadline may be noticed; small against any sensible route timeout. */
  static final long SWEEP_MILLIS = 50;

  /** What a request that waited too long does: gives up on its backend with this exception. */
  @FunctionalInterface
  interface Late {
    void late(TimeoutException timeout);
  }

  /** One request waiting for its answer; {@link #touch()} restarts the wait, {@link #answered()} ends it. */
  static final class Wait {
    private final Waits list;
    private final int timeoutMillis;
    private final Late request;
    private long deadline;
    private Wait previous;
    private Wait next;
    private boolean waiting = true;

    private Wait(Waits list, int timeoutMillis, Late request) {
      this.list = list;
      this.timeoutMillis = timeoutMillis;
      this.request = request;
      this.deadline = System.currentTimeMillis() + timeoutMillis;
    }

    /** The backend said something: the wait starts over, and moves to the end of its list. */
    void touch() {
      if (waiting) {
        deadline = System.currentTimeMillis() + timeoutMillis;
        list.unlink(this);
        list.append(this);
      }
    }

    void answered() {
      if (waiting) {
        waiting = false;
        list.unlink(this);
      }
    }
  }

  /** The waits of one timeout, oldest first. */
  private static final class Waits {
    private Wait oldest;
    private Wait newest;

    void append(Wait wait) {
      wait.next = null;
      wait.previous = newest;
      if (newest == null) {
        oldest = wait;
      } else {
        newest.next = wait;
      }
      newest = wait;
    }

    void unlink(Wait wait) {
      if (wait.previous == null) {
        oldest = wait.next;
      } else {
        wait.previous.next = wait.next;
      }
      if (wait.next == null) {
        newest = wait.previous;
      } else {
        wait.next.previous = wait.previous;
      }
      // a dead wait that was promoted to the old generation would otherwise keep the young ones it
      // points to alive, and they the next: every wait promoted, full collections under load
      wait.previous = null;
      wait.next = null;
    }
  }

  /** Indexed like {@link #timeouts}: a route table has few distinct timeouts, so a scan beats boxing a map key. */
  private Waits[] lists = new Waits[0];
  private int[] timeouts = new int[0];

  private final Vertx vertx;
  private final long sweeping;

  /** Sweeps from now until {@link #close()}. */
  AnswerDeadlines(Vertx vertx) {
    this.vertx = vertx;
    this.sweeping = vertx.setPeriodic(SWEEP_MILLIS, id -> sweep(System.currentTimeMillis()));
  }

  /** Stops the sweep it started. */
  @Override
  public void close() {
    vertx.cancelTimer(sweeping);
  }

  long sweepTimer() {
    return sweeping;
  }

  /** {@code request} is told when the route's timeout passes in silence: a Vert.x request resets, a Netty channel closes. */
  Wait begin(int timeoutMillis, Late request) {
    Waits list = listOf(timeoutMillis);
    Wait wait = new Wait(list, timeoutMillis, request);
    list.append(wait);
    return wait;
  }

  private Waits listOf(int timeoutMillis) {
    for (int i = 0; i < timeouts.length; i++) {
      if (timeouts[i] == timeoutMillis) {
        return lists[i];
      }
    }
    timeouts = Arrays.copyOf(timeouts, timeouts.length + 1);
    lists = Arrays.copyOf(lists, lists.length + 1);
    timeouts[timeouts.length - 1] = timeoutMillis;
    return lists[lists.length - 1] = new Waits();
  }

  private void sweep(long now) {
    for (Waits list : lists) {
      while (list.oldest != null && list.oldest.deadline <= now) {
        Wait late = list.oldest;
        late.answered();
        late.request.late(new TimeoutException("no answer within the route's timeout"));
      }
    }
  }
}
