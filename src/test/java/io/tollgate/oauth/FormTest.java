package io.tollgate.oauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class FormTest {

  @Test
  void multiByteCharactersBeforeEncodedOnesDecodeWhole() {
    // found by the token endpoint's property test: three-byte characters followed by '+' overran the buffer
    String value = "\u0800\u0800\u0a18\u060c+\ud237\ube6f\u80a6\u04f5\u4d59\ud694";
    Form form = Form.parse("grant_type=" + value + "&x=%E2%82%AC", "request body");
    assertEquals(value.replace('+', ' '), form.get("grant_type"));
    assertEquals("\u20ac", form.get("x"));
  }

  @Test
  void charactersOutsideTheBasicPlaneSurviveBesideEncodedOnes() {
    assertEquals("\ud83d\ude00 a", Form.parse("v=\ud83d\ude00+%61", "query").get("v"));
  }

  @Test
  void truncatedOrNonHexPercentEncodingIsInvalidRequest() {
    for (String bad : new String[] {"v=%4", "v=%zz", "v=%\u00e9\u00e9"}) {
      OAuthException e = assertThrows(OAuthException.class, () -> Form.parse(bad, "query"), bad);
      assertEquals("invalid_request", e.error().code(), bad);
    }
  }
}
