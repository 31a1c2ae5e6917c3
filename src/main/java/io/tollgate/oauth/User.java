package io.tollgate.oauth;

import java.util.List;

public record User(
    String id, String username, String passwordHash, List<String> roles, boolean requirePasswordChange) {}
