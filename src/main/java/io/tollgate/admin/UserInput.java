package io.tollgate.admin;

import io.tollgate.accounts.PasswordRule;
import io.tollgate.oauth.ControlCharacters;
import io.tollgate.oauth.User;
import java.util.List;
import java.util.UUID;

/** A user as the admin API accepts it; the password hash is never input nor output. */
final class UserInput {
  private static final int MAX_USERNAME = 320;

  private UserInput() {}

  /** A new user with its chosen password (not yet hashed); a missing id is generated. */
  record NewUser(User user, String password) {}

  static NewUser forCreate(JsonInput in, int minPasswordLength) {
    String id = in.string("id", null);
    id = id == null ? UUID.randomUUID().toString() : Names.id("id", id);
    String username = username(in);
    String password = password(in, "password", minPasswordLength);
    List<String> roles = in.strings("roles", List.of());
    // the administrator chose the password, so by default the user must replace it at first login
    boolean mustChange = in.bool("requirePasswordChange", true);
    in.finish();
    return new NewUser(new User(id, username, null, roles, mustChange), password);
  }

  /** PUT: username and roles are replaced; an absent {@code requirePasswordChange} keeps the stored flag. */
  static User forUpdate(JsonInput in, String pathId, boolean currentMustChange) {
    if (in.has("password")) {
      throw JsonInput.refuse("password", "cannot be set here: POST /admin/users/{id}/password resets it");
    }
    String id = in.string("id", null);
    if (id != null && !id.equals(pathId)) {
      throw JsonInput.refuse("id", "differs from the id in the path; an id cannot be changed");
    }
    String username = username(in);
    List<String> roles = in.strings("roles", List.of());
    boolean mustChange = in.bool("requirePasswordChange", currentMustChange);
    in.finish();
    return new User(pathId, username, null, roles, mustChange);
  }

  /** The reset's body, {@code {"password": "..."}}; null when the body is empty (one is then generated). */
  static String forReset(JsonInput in, int minPasswordLength) {
    String password = in.has("password") ? password(in, "password", minPasswordLength) : null;
    in.finish();
    return password;
  }

  private static String username(JsonInput in) {
    String username = in.requiredString("username");
    if (username.length() > MAX_USERNAME || !username.strip().equals(username)
        || ControlCharacters.containsAny(username)) {
      throw JsonInput.refuse("username", "must be at most " + MAX_USERNAME
          + " characters, without control characters or surrounding spaces");
    }
    return username;
  }

  private static String password(JsonInput in, String field, int minLength) {
    String password = in.requiredString(field);
    String problem = new PasswordRule(minLength).problem(password);
    if (problem != null) {
      throw JsonInput.refuse(field, problem);
    }
    return password;
  }
}
