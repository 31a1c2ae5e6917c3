package io.tollgate.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tollgate.config.ConfigLoader;
import io.tollgate.config.TollgateConfig;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The README's development TLS: conf/dev-tls.sh makes what conf/tollgate-tls.yaml names, and it loads. */
class DevTlsSetupTest {
  @Test
  void theScriptMakesCertificatesTheShippedTlsConfigurationAccepts() throws Exception {
    Path dir = Files.createTempDirectory("tollgate-dev-tls").resolve("tls");
    Process script = new ProcessBuilder("conf/dev-tls.sh", dir.toString()).redirectErrorStream(true).start();
    String output = new String(script.getInputStream().readAllBytes());
    assertEquals(0, script.waitFor(), output);
    String yaml = Files.readString(Path.of("conf/tollgate-tls.yaml")).replace("conf/tls/", dir + "/");
    JsonObject json = new JsonObject(new org.yaml.snakeyaml.Yaml().<Map<String, Object>>load(yaml));
    TollgateConfig.Tls tls = ConfigLoader.parse(ConfigLoader.withEnvironment(json, Map.of())).http().tls();
    assertEquals(List.of("api.profix-it.be", "*.profix-it.be"), tls.hosts().get(1).names());
    assertEquals(List.of("api.profix-it.nl"), TlsClients.names(TestCertificates.certificate(dir.resolve("nl.crt"))));
    assertEquals(List.of("api.profix-it.be", "*.profix-it.be"),
        TlsClients.names(TestCertificates.certificate(dir.resolve("be.crt"))));
    for (String key : List.of("ca.key", "default.key", "nl.key", "be.key")) {
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(key))), key);
    }
  }
}
