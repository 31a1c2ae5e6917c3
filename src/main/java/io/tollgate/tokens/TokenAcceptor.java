package io.tollgate.tokens;

/**
 * The one answer to "is this bearer token acceptable?" for everything that accepts access tokens
 * (the gateway, the admin API): signature and claims, then the revocation list, then a typed
 * {@link Principal}. Refusals are {@link InvalidTokenException}s, the RFC 6750 §3.1
 * {@code invalid_token} of the caller; nothing else escapes for a token, whatever its claims hold.
 * The two steps are also offered apart so that a cache can keep the first and repeat only the second.
 */
public interface TokenAcceptor {
  /** Verify, then check revocation: the principal of an acceptable token. */
  default Principal accept(String jwt) {
    return unrevoked(verify(jwt));
  }

  /** Signature, algorithm, kid, typ, exp, iss, aud and claim types: a result that holds until {@code exp}. */
  Principal verify(String jwt);

  /** The revocation check, which a cached principal must pass again on every use. */
  Principal unrevoked(Principal verified);

  static TokenAcceptor create(AccessTokenVerifier verifier, RevocationList revocations) {
    return new LocalTokenAcceptor(verifier, revocations);
  }

  /** RFC 6750 §2.1: the token of an {@code Authorization: Bearer} header (scheme in any case), or null. */
  static String fromHeader(String authorization) {
    return authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
        ? authorization.substring(7).trim() : null;
  }
}
