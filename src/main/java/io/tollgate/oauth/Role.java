package io.tollgate.oauth;

import java.util.List;

/** A role grants scopes to the users who hold it (CONTRACT §3). */
public record Role(String name, List<String> scopes) {}
