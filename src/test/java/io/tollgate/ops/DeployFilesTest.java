package io.tollgate.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tollgate.config.ConfigLoader;
import io.tollgate.config.TollgateConfig;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * What can be read of the Dockerfile and deploy/ without running them: the deployment config is a
 * valid Tollgate config, the compose file runs several instances on one database behind a load
 * balancer, the Dockerfile is what README "Docker" describes. There is no Docker engine here; the
 * Dockerfile's runtime stage is run for real (in a chroot on a stand-in base) by deploy/container-check, which CI
 * calls after the tests. The compose setup is not run anywhere.
 */
class DeployFilesTest {

  @Test
  void theDeploymentConfigIsValid() throws Exception {
    Path key = Files.createTempFile("k1", ".pem");
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair pair = generator.generateKeyPair();
    Base64.Encoder b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
    Files.writeString(key, "-----BEGIN PRIVATE KEY-----\n" + b64.encodeToString(pair.getPrivate().getEncoded())
        + "\n-----END PRIVATE KEY-----\n-----BEGIN PUBLIC KEY-----\n" + b64.encodeToString(pair.getPublic().getEncoded())
        + "\n-----END PUBLIC KEY-----\n");
    String yaml = Files.readString(Path.of("deploy/tollgate.yaml"))
        .replace("/app/deploy/keys/k1.pem", key.toString())
        .replace("/app/conf/bootstrap.yaml", "conf/bootstrap.yaml");
    JsonObject json = new JsonObject(new Yaml().<Map<String, Object>>load(yaml));
    TollgateConfig config = ConfigLoader.parse(json);
    assertEquals(1, config.tokens().signing().keys().size(), "one shared key, not a per-instance dev key");
    assertTrue(config.security().rateLimit().trustForwardedFor(), "behind the load balancer");
    assertEquals(9091, config.management().port());
  }

  @Test
  void composeRunsTwoInstancesOnOneDatabaseBehindALoadBalancer() throws Exception {
    Map<String, Object> compose = new Yaml().load(Files.readString(Path.of("deploy/compose.yaml")));
    @SuppressWarnings("unchecked")
    Map<String, Object> services = (Map<String, Object>) compose.get("services");
    assertTrue(services.keySet().containsAll(java.util.List.of("db", "tollgate-1", "tollgate-2", "lb")), services.keySet().toString());
    @SuppressWarnings("unchecked")
    Map<String, Object> instance = (Map<String, Object>) services.get("tollgate-1");
    assertEquals("on-failure", instance.get("restart"), "an instance that exits 70 (an event loop ended) is started again");
    String nginx = Files.readString(Path.of("deploy/nginx.conf"));
    assertTrue(nginx.contains("server tollgate-1:8080") && nginx.contains("server tollgate-2:8080"));
  }

  @Test
  void theDockerfileIsMultiStageNonRootWithAHealthCheck() throws Exception {
    String dockerfile = Files.readString(Path.of("Dockerfile"));
    assertTrue(Pattern.compile("(?m)^FROM .+ AS build$").matcher(dockerfile).find(), "multi-stage");
    assertTrue(Pattern.compile("(?m)^FROM eclipse-temurin:17-jre").matcher(dockerfile).find(), "a JRE runtime image");
    assertTrue(Pattern.compile("(?m)^USER tollgate$").matcher(dockerfile).find(), "non-root");
    assertTrue(dockerfile.contains("HEALTHCHECK") && dockerfile.contains("/health"), "a health check on /health");
  }
}
