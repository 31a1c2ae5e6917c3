package io.tollgate.tokens;

import java.util.List;

/** The claims of an RFC 9068 access token; {@code sid} is its refresh-token family, if any. */
public record AccessToken(String jti, String subject, String clientId, String scope, long issuedAt, long expiresAt,
    String sid, List<String> audience) {}
