package io.tollgate.tokens;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.UUID;
import org.junit.jupiter.api.Test;

/** jti values are RFC 9562 UUIDv7 carrying their issue millisecond. */
class TokenIdsTest {

  @Test
  void aJtiIsAVersion7UuidThatGivesBackItsMillisecond() {
    long millis = 1_764_064_000_123L;
    String jti = TokenIds.next(millis);
    UUID uuid = UUID.fromString(jti);
    assertEquals(7, uuid.version());
    assertEquals(2, uuid.variant());
    assertEquals(millis, TokenIds.issuedMillis(jti, -1));
    assertNotEquals(jti, TokenIds.next(millis), "random beyond the millisecond");
  }

  @Test
  void anyOtherJtiFallsBack() {
    assertEquals(-1, TokenIds.issuedMillis(UUID.randomUUID().toString(), -1));
    assertEquals(-1, TokenIds.issuedMillis("jti-1", -1));
    assertEquals(-1, TokenIds.issuedMillis(null, -1));
  }
}
