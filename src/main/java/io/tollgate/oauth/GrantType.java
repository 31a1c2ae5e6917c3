package io.tollgate.oauth;

import java.util.Optional;

/** The grant types a token request may name; each client is allowed exactly one of the first three. */
public enum GrantType {
  AUTHORIZATION_CODE("authorization_code"),
  CLIENT_CREDENTIALS("client_credentials"),
  PASSWORD("password"),
  REFRESH_TOKEN("refresh_token");

  private final String value;

  GrantType(String value) {
    this.value = value;
  }

  public String value() {
    return value;
  }

  /** Accepts Profix's and Procurios' alias {@code code} for {@code authorization_code}. */
  public static Optional<GrantType> parse(String value) {
    if ("code".equals(value)) {
      return Optional.of(AUTHORIZATION_CODE);
    }
    for (GrantType type : values()) {
      if (type.value.equals(value)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }
}
