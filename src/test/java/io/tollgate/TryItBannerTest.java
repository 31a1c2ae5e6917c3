package io.tollgate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tollgate.config.BootstrapFile;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

class TryItBannerTest {

  @Test
  void theShippedBootstrapFileGivesTheReadmesTryItLines() throws Exception {
    Map<String, Object> yaml = new Yaml().load(Files.readString(TryItBanner.SHIPPED_BOOTSTRAP));
    BootstrapFile file = BootstrapFile.parse(new JsonObject(yaml));
    assertEquals(List.of(
        "try it: curl -u s6BhdRkqt3:gX1fBat3bV -d grant_type=client_credentials http://localhost:8080/token",
        "        demo user demo@profix-it.nl / demo-password with client "
            + "b81cc4de-d192-400e-bcb4-09254394c52a / n3G7KAhcv8OH (password grant)",
        "        browser login (authorization code, the code shown as a PIN): http://localhost:8080/Authorization"
            + "?client_id=34ad67fa2f%40hq.local.affinitylive.com&redirect_uri=urn%3Aietf%3Awg%3Aoauth%3A2.0%3Aoob"
            + "&scope=profile"),
        TryItBanner.lines(file, "http://localhost:8080", "/Authorization"));
  }

  @Test
  void aFileWithoutSuchIdentitiesPrintsNoLine() {
    assertEquals(List.of(), TryItBanner.lines(BootstrapFile.empty(), "http://localhost:8080", "/Authorization"));
  }
}
