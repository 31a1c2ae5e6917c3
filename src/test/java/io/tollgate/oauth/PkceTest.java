package io.tollgate.oauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PkceTest {
  static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
  static final String CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

  @Test
  void theS256ExampleOfRfc7636AppendixB() {
    assertEquals(CHALLENGE, Pkce.challengeOf(VERIFIER));
    assertTrue(Pkce.validChallenge(CHALLENGE));
    assertTrue(Pkce.matches(VERIFIER, CHALLENGE));
  }

  @Test
  void aWrongOrMalformedVerifierDoesNotMatch() {
    assertFalse(Pkce.matches(VERIFIER.replace('d', 'e'), CHALLENGE));
    assertFalse(Pkce.matches(null, CHALLENGE));
    assertFalse(Pkce.matches("short", Pkce.challengeOf("short")), "RFC 7636 §4.1: at least 43 characters");
    assertFalse(Pkce.matches(VERIFIER + "!", Pkce.challengeOf(VERIFIER + "!")), "unreserved characters only");
    assertFalse(Pkce.validChallenge(CHALLENGE + "="), "no padding");
    assertFalse(Pkce.validChallenge(VERIFIER.substring(1)), "42 characters");
  }
}
