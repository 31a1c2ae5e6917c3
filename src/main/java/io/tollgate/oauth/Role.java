package io.tollgate.oauth;

import java.util.List;

/** A role grants scopes to the users who hold it (README, "Admin API"). */
public record Role(String name, List<String> scopes) {}
