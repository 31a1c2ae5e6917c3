package io.tollgate.ops;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Memory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The glibc knobs are really reached (Linux with glibc: this machine and the Docker image). */
class NativeMemoryTest {

  @Test
  void aFreedArgon2SizedBlockLeavesTheProcess() throws Exception {
    assumeTrue(Files.exists(Path.of("/proc/self/status")), "Linux only");
    assertTrue(NativeMemory.keepLargeBlocksMapped(), "glibc took the fixed mmap threshold");
    long before = rssAnonKiB();
    for (int i = 0; i < 3; i++) {
      Memory block = new Memory(19 << 20); // argon2's default memory cost, malloc'd as argon2 does
      for (long offset = 0; offset < block.size(); offset += 4096) {
        block.setByte(offset, (byte) 1); // make it resident
      }
      block.close(); // free()
    }
    long grown = rssAnonKiB() - before;
    assertTrue(grown < 10 * 1024, "19 MiB blocks were returned, not kept in an arena: grew " + grown + " KiB");
  }

  private static long rssAnonKiB() throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("RssAnon:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IllegalStateException("no RssAnon");
  }
}
