package io.tollgate;

import io.tollgate.config.BootstrapFile;
import io.tollgate.config.BootstrapFile.ClientSpec;
import io.tollgate.config.BootstrapFile.UserSpec;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a newcomer needs to try a fresh start (README, "Try it with curl"): a curl line for the
 * client-credentials client and the password client and user that the shipped bootstrap file
 * declares, and the browser login of its installed-application client. Only for the shipped file,
 * whose identities are public demo values: an operator's own bootstrap file is never printed.
 */
final class TryItBanner {
  static final Path SHIPPED_BOOTSTRAP = Path.of("conf/bootstrap.yaml");
  private static final String OUT_OF_BAND = "urn:ietf:wg:oauth:2.0:oob";

  private TryItBanner() {}

  static List<String> lines(BootstrapFile file, String base, String authorizationPath) {
    List<String> lines = new ArrayList<>();
    first(file, "client_credentials").ifPresent(c -> lines.add("try it: curl -u " + c.id() + ":" + c.secret()
        + " -d grant_type=client_credentials " + base + "/token"));
    Optional<UserSpec> user = file.users().stream().filter(u -> !u.requirePasswordChange()).findFirst();
    first(file, "password").ifPresent(c -> user.ifPresent(u -> lines.add("        demo user " + u.username()
        + " / " + u.password() + " with client " + c.id() + " / " + c.secret() + " (password grant)")));
    file.clients().stream().filter(c -> c.redirectUris().contains(OUT_OF_BAND)).findFirst()
        .ifPresent(c -> lines.add("        browser login (authorization code, the code shown as a PIN): " + base
            + authorizationPath + "?client_id=" + encode(c.id()) + "&redirect_uri=" + encode(OUT_OF_BAND)
            + (c.scopes().isEmpty() ? "" : "&scope=" + encode(c.scopes().get(0)))));
    return lines;
  }

  private static Optional<ClientSpec> first(BootstrapFile file, String grant) {
    return file.clients().stream().filter(c -> grant.equals(c.grant()) && !c.isPublic()).findFirst();
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
