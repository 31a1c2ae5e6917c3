package io.tollgate.tokenservice;

import io.tollgate.config.TollgateConfig;
import io.tollgate.cors.CorsPolicy;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** RFC 8414 metadata and the JWKS; both computed once, served as they are, to any origin (README, "Browsers (CORS)"). */
public final class Discovery {
  /** Public documents: any page may read them (Access-Control-Allow-Origin: *, no credentials). */
  public static final CorsPolicy OPEN = CorsPolicy.anyOrigin();

  private Discovery() {}

  public static Handler<RoutingContext> metadata(TollgateConfig config) {
    String issuer = config.issuer();
    TollgateConfig.Endpoints paths = config.endpoints();
    String body = new JsonObject()
        .put("issuer", issuer)
        .put("authorization_endpoint", issuer + paths.authorization().get(0))
        .put("token_endpoint", issuer + paths.token().get(0))
        .put("jwks_uri", issuer + "/.well-known/jwks.json")
        .put("revocation_endpoint", issuer + paths.revoke().get(0))
        .put("introspection_endpoint", issuer + paths.introspect().get(0))
        .put("response_types_supported", new JsonArray().add("code"))
        .put("grant_types_supported", new JsonArray().add("authorization_code").add("client_credentials")
            .add("password").add("refresh_token"))
        .put("token_endpoint_auth_methods_supported", new JsonArray().add("client_secret_basic")
            .add("client_secret_post").add("none"))
        .put("code_challenge_methods_supported", new JsonArray().add("S256"))
        .put("token_endpoint_auth_signing_alg_values_supported", new JsonArray().add(config.tokens().signing().algorithm()))
        .encode();
    return ctx -> {
      OPEN.actual(ctx.request());
      ctx.response().putHeader("Content-Type", "application/json").end(body);
    };
  }

  public static Handler<RoutingContext> jwks(JsonObject jwks) {
    String body = jwks.encode();
    return ctx -> {
      OPEN.actual(ctx.request());
      ctx.response().putHeader("Content-Type", "application/json")
          .putHeader("Cache-Control", "public, max-age=300").end(body);
    };
  }
}
