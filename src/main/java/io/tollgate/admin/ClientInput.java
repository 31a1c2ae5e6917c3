package io.tollgate.admin;

import io.tollgate.cors.Origins;
import io.tollgate.oauth.Client;
import io.tollgate.oauth.GrantType;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/** A client as the admin API accepts it (README, "Admin API"), validated field by field; the secret is never input. */
final class ClientInput {
  static final String OOB = "urn:ietf:wg:oauth:2.0:oob";
  private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]");
  private static final Set<String> DANGEROUS_SCHEMES = Set.of("javascript", "data", "vbscript", "file");

  private ClientInput() {}

  /** {@code pathId}: the id of the URL on update (a body id must then equal it), null on create. */
  static Client read(JsonInput in, String pathId) {
    if (in.has("secret") || in.has("secretHash")) {
      throw JsonInput.refuse("secret", "cannot be set: secrets are generated and returned once"
          + " (POST /admin/clients/{id}/secret makes a new one)");
    }
    String id = in.string("id", null);
    if (pathId != null && id != null && !id.equals(pathId)) {
      throw JsonInput.refuse("id", "differs from the id in the path; an id cannot be changed");
    }
    id = pathId != null ? pathId : id == null ? UUID.randomUUID().toString() : Names.id("id", id);
    GrantType grant = grant(in.requiredString("grant"));
    boolean isPublic = in.bool("public", false);
    if (isPublic && grant != GrantType.AUTHORIZATION_CODE) {
      throw JsonInput.refuse("public", "is allowed only with grant authorization_code (PKCE protects it)");
    }
    List<String> scopes = Names.scopes("scopes", in.strings("scopes", List.of()));
    List<String> defaults = in.has("defaultScopes") ? Names.scopes("defaultScopes", in.strings("defaultScopes", null))
        : null;
    if (defaults != null && !scopes.containsAll(defaults)) {
      throw JsonInput.refuse("defaultScopes", "must be a subset of 'scopes'");
    }
    List<String> redirectUris = in.strings("redirectUris", List.of());
    redirectUris.forEach(ClientInput::checkRedirectUri);
    if (grant == GrantType.AUTHORIZATION_CODE && redirectUris.isEmpty()) {
      throw JsonInput.refuse("redirectUris", "needs at least one URI for grant authorization_code");
    }
    boolean refreshTokens = in.bool("refreshTokens", grant != GrantType.CLIENT_CREDENTIALS);
    Integer accessTtl = in.integer("accessTtl", 1, 86_400);
    Integer refreshTtl = in.integer("refreshTtl", 60, 365 * 86_400);
    List<String> webOrigins = in.strings("webOrigins", List.of());
    for (String origin : webOrigins) {
      String problem = Origins.problem(origin);
      if (problem != null) {
        throw JsonInput.refuse("webOrigins", "holds " + problem);
      }
    }
    in.finish();
    return new Client(id, null, grant, scopes, defaults, redirectUris, refreshTokens, isPublic, accessTtl, refreshTtl,
        webOrigins);
  }

  /** "A client id/secret is allowed one method, which is predefined": one of the three, by its exact name. */
  private static GrantType grant(String value) {
    for (GrantType type : List.of(GrantType.AUTHORIZATION_CODE, GrantType.CLIENT_CREDENTIALS, GrantType.PASSWORD)) {
      if (type.value().equals(value)) {
        return type;
      }
    }
    throw JsonInput.refuse("grant", "must be one of authorization_code, client_credentials, password");
  }

  /**
   * RFC 6749 §3.1.2: absolute, without a fragment; compared by exact match later. RFC 9700 §2.6 and
   * RFC 8252 §7.3: plain http only for loopback; native apps may use private-use schemes.
   */
  private static void checkRedirectUri(String value) {
    if (value.equals(OOB)) {
      return;
    }
    URI uri;
    try {
      uri = new URI(value);
    } catch (URISyntaxException e) {
      throw JsonInput.refuse("redirectUris", "holds '" + Shown.safe(value) + "', which is not a URI");
    }
    if (!uri.isAbsolute() || uri.isOpaque() && uri.getScheme().matches("(?i)https?")) {
      throw JsonInput.refuse("redirectUris", "holds '" + Shown.safe(value) + "', which is not an absolute URI");
    }
    if (uri.getRawFragment() != null || value.contains("#")) {
      throw JsonInput.refuse("redirectUris", "holds '" + Shown.safe(value) + "', which has a fragment");
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    if (DANGEROUS_SCHEMES.contains(scheme)) {
      throw JsonInput.refuse("redirectUris", "holds a " + scheme + ": URI");
    }
    if ((scheme.equals("http") || scheme.equals("https")) && (uri.getHost() == null || uri.getHost().isEmpty())) {
      throw JsonInput.refuse("redirectUris", "holds '" + Shown.safe(value) + "', which has no host");
    }
    if (scheme.equals("http") && !LOOPBACK.contains(uri.getHost().toLowerCase(Locale.ROOT))) {
      throw JsonInput.refuse("redirectUris", "holds '" + Shown.safe(value) + "': plain http is allowed only"
          + " for localhost (use https)");
    }
  }
}
