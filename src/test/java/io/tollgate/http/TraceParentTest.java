package io.tollgate.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The rules under RequestIdTest and TraceContextTest, case by case: W3C Trace Context §3.2 for
 * traceparent, the README's for X-Request-Id, and the shape of generated ids.
 */
class TraceParentTest {
  static final String TRACE = "0af7651916cd43dd8448eb211c80319c";
  static final String PARENT = "b7ad6b7169203331";

  @Test
  void version00IsExactly55LowercaseCharacters() {
    assertTrue(TraceParent.valid("00-" + TRACE + "-" + PARENT + "-01"));
    assertTrue(TraceParent.valid("00-" + TRACE + "-" + PARENT + "-00"));
    assertFalse(TraceParent.valid("00-" + TRACE + "-" + PARENT + "-01-"), "version 00 has no more fields");
    assertFalse(TraceParent.valid("00-" + TRACE + "-" + PARENT + "-0"));
    assertFalse(TraceParent.valid("00-" + TRACE.toUpperCase() + "-" + PARENT + "-01"));
    assertFalse(TraceParent.valid("00-" + TRACE + "-" + PARENT + "-0F"));
    assertFalse(TraceParent.valid("0A-" + TRACE + "-" + PARENT + "-01"));
    assertFalse(TraceParent.valid("00-" + TRACE + "-" + PARENT + "x01"));
    assertFalse(TraceParent.valid(""));
  }

  @Test
  void allZeroIdsAndVersionFfAreInvalid() {
    assertFalse(TraceParent.valid("00-" + "0".repeat(32) + "-" + PARENT + "-01"));
    assertFalse(TraceParent.valid("00-" + TRACE + "-" + "0".repeat(16) + "-01"));
    assertFalse(TraceParent.valid("ff-" + TRACE + "-" + PARENT + "-01"));
    assertTrue(TraceParent.valid("00-" + "0".repeat(31) + "1-" + "0".repeat(15) + "1-01"));
  }

  @Test
  void aHigherVersionIsReadByVersion00sRules() {
    assertTrue(TraceParent.valid("01-" + TRACE + "-" + PARENT + "-01"));
    assertTrue(TraceParent.valid("fe-" + TRACE + "-" + PARENT + "-01-anything-after"));
    assertFalse(TraceParent.valid("fe-" + TRACE + "-" + PARENT + "-01anything"), "§3.2.4: the end or a dash");
    assertFalse(TraceParent.valid("fe-" + TRACE + "-" + PARENT), "shorter than 55");
  }

  @Test
  void onlyTheSampledFlagIsPassedOn() {
    assertEquals(1, TraceParent.flags("00-" + TRACE + "-" + PARENT + "-ff"));
    assertEquals(0, TraceParent.flags("00-" + TRACE + "-" + PARENT + "-fe"));
  }

  @Test
  void optionalWhitespaceIsNotPartOfTheValue() {
    assertEquals("a b", TraceParent.trim(" \ta b\t "));
    String same = "00-" + TRACE + "-" + PARENT + "-01";
    assertTrue(same == TraceParent.trim(same), "no copy when there is nothing to trim");
  }

  @Test
  void aRequestIdIsOneTo128SafeCharacters() {
    assertTrue(RequestId.valid("a"));
    assertTrue(RequestId.valid("Az09._-".repeat(18) + "xy"));
    assertFalse(RequestId.valid(""));
    assertFalse(RequestId.valid("a".repeat(129)));
    for (String bad : new String[] {"a b", "a\rb", "a\nb", "a:b", "a/b", "a\"b", "caf\u00e9", "a,b", "a;b", "\u0000"}) {
      assertFalse(RequestId.valid(bad), bad);
    }
  }

  @Test
  void generatedIdsAreLowercaseHexAndDiffer() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      String id = RequestId.generate();
      assertTrue(id.matches("[0-9a-f]{32}"), id);
      assertTrue(seen.add(id), "no repeat in a thousand");
      assertTrue(Ids.hex64().matches("[0-9a-f]{16}"));
      assertNotEquals("0".repeat(16), Ids.hex64());
    }
  }
}
