package io.tollgate.tokens;

import io.tollgate.tokens.InvalidTokenException.Reason;

/** Local acceptance: no database round trip, the revocation list is kept current by NOTIFY. */
final class LocalTokenAcceptor implements TokenAcceptor {
  private final AccessTokenVerifier verifier;
  private final RevocationList revocations;

  LocalTokenAcceptor(AccessTokenVerifier verifier, RevocationList revocations) {
    this.verifier = verifier;
    this.revocations = revocations;
  }

  @Override
  public Principal verify(String jwt) {
    return Principal.of(verifier.verify(jwt));
  }

  @Override
  public Principal unrevoked(Principal verified) {
    if (revocations.isRevoked(verified.token())) {
      throw new InvalidTokenException(Reason.REVOKED, "the token was revoked");
    }
    return verified;
  }
}
