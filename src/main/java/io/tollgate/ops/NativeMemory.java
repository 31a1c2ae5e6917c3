package io.tollgate.ops;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the process's native heap near what it uses (the resident-memory target of issue 6),
 * through two glibc knobs; elsewhere both do nothing.
 * <ul>
 * <li>argon2's C code mallocs its whole memory cost (19 MiB by default) for every hash. glibc raises
 * its mmap threshold to the largest block freed so far, so after the first hash those blocks come
 * from the hashing thread's malloc arena and stay resident: ~20 MB per hash thread. A fixed
 * threshold keeps large blocks mmapped and returned when freed (measured: 21 MB less after start).
 * <li>What the JIT, Netty and the crypto provider free in small pieces stays in the arenas until
 * someone trims them: {@link #trim()} gave back another 25 MB after a load test.
 * </ul>
 */
public final class NativeMemory {
  private static final Logger log = LoggerFactory.getLogger(NativeMemory.class);
  /** glibc malloc.h: M_MMAP_THRESHOLD; setting it also turns off the dynamic adjustment. */
  private static final int M_MMAP_THRESHOLD = -3;
  private static final int ONE_MIB = 1 << 20;
  private static final GlibC GLIBC = load();

  private interface GlibC extends Library {
    int mallopt(int param, int value);

    int malloc_trim(long pad);
  }

  private NativeMemory() {}

  private static GlibC load() {
    if (!Platform.isLinux()) {
      return null;
    }
    try {
      return Native.load("c", GlibC.class);
    } catch (LinkageError notGlibc) {
      log.debug("no glibc here: {}", notGlibc.toString());
      return null;
    }
  }

  /**
   * Blocks of a mebibyte and more are mmapped, so that freeing them returns them; true when glibc
   * took the setting. Call before the first hash.
   */
  public static boolean keepLargeBlocksMapped() {
    try {
      return GLIBC != null && GLIBC.mallopt(M_MMAP_THRESHOLD, ONE_MIB) == 1;
    } catch (LinkageError notGlibc) {
      log.debug("no mallopt here: {}", notGlibc.toString());
      return false;
    }
  }

  /**
   * Returns the arenas' free pages to the system; true when some were. A few milliseconds, so on a
   * worker thread.
   */
  public static boolean trim() {
    try {
      return GLIBC != null && GLIBC.malloc_trim(0) == 1;
    } catch (LinkageError notGlibc) {
      log.debug("no malloc_trim here: {}", notGlibc.toString());
      return false;
    }
  }
}
