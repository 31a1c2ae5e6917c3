package io.tollgate;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.List;
import java.util.function.Predicate;
import org.slf4j.LoggerFactory;

/** The access log of the Tollgates a test runs in this JVM, read while their threads still append to it. */
public final class AccessLogCapture implements AutoCloseable {
  private final Logger logger = (Logger) LoggerFactory.getLogger("tollgate.access");
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  private AccessLogCapture() {
    appender.start();
    logger.addAppender(appender);
  }

  public static AccessLogCapture start() {
    return new AccessLogCapture();
  }

  /**
   * The first line {@code wanted} accepts, waited for up to 2 s: a line is written when its answer
   * has ended, which may be just after the client has read it. {@code what} names it in the failure.
   */
  public String line(Predicate<String> wanted, String what) {
    for (int i = 0; i < 100; i++) {
      for (ILoggingEvent event : snapshot()) {
        if (wanted.test(event.getFormattedMessage())) {
          return event.getFormattedMessage();
        }
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    throw new AssertionError("no access log line " + what);
  }

  /** The appender's list is appended to by Tollgate's threads: copied until a copy is not disturbed. */
  private List<ILoggingEvent> snapshot() {
    while (true) {
      try {
        return new ArrayList<>(appender.list);
      } catch (ConcurrentModificationException busy) {
        Thread.onSpinWait();
      }
    }
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
  }
}
