package io.tollgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tollgate.tls.TestCertificates;
import io.tollgate.tls.TestCertificates.Pair;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code http.tls} (README, "TLS at the edge"): each problem stops the start with one line naming the key. */
class TlsSectionTest {
  static TestCertificates ca;
  static Pair nl;
  static Pair be;

  @BeforeAll
  static void certificates() {
    ca = TestCertificates.create("Tollgate Test CA");
    nl = ca.ec("nl", "api.profix-it.nl");
    be = ca.rsa("be", "api.profix-it.be", "*.profix-it.be");
  }

  static JsonObject tls(Pair pair) {
    return new JsonObject().put("cert", pair.cert().toString()).put("key", pair.key().toString());
  }

  static JsonObject host(Pair pair, String... names) {
    return tls(pair).put("names", new JsonArray(List.of((Object[]) names)));
  }

  private static List<String> problems(JsonObject tls) {
    JsonObject json = new JsonObject().put("http", new JsonObject().put("tls", tls));
    return assertThrows(ConfigException.class, () -> ConfigLoader.parse(json)).problems();
  }

  @Test
  void aDefaultAndPerHostCertificatesWithRsaAndEcdsaKeysLoadWithTheDefaults() {
    JsonObject json = new JsonObject().put("http", new JsonObject().put("tls", tls(nl)
        .put("hosts", new JsonArray().add(host(nl, "api.profix-it.nl")).add(host(be, "api.profix-it.be", "*.profix-it.be")))));
    TollgateConfig.Tls tls = ConfigLoader.parse(json).http().tls();
    assertEquals(List.of("TLSv1.3", "TLSv1.2"), tls.protocols());
    assertTrue(tls.http2());
    assertEquals("openssl", tls.engine());
    assertEquals(-1, tls.hsts());
    assertEquals(List.of("api.profix-it.be", "*.profix-it.be"), tls.hosts().get(1).names());
  }

  @Test
  void aKeyThatDoesNotMatchItsCertificateIsNamed() {
    JsonObject mixed = new JsonObject().put("cert", nl.cert().toString()).put("key", be.key().toString());
    assertEquals(List.of("http.tls.key: the key does not match the certificate"), problems(mixed));
  }

  @Test
  void aHostKeyThatDoesNotMatchIsNamedWithItsIndex() {
    JsonObject mixed = new JsonObject().put("names", new JsonArray().add("api.profix-it.be"))
        .put("cert", be.cert().toString()).put("key", nl.key().toString());
    assertEquals(List.of("http.tls.hosts[0].key: the key does not match the certificate"),
        problems(tls(nl).put("hosts", new JsonArray().add(mixed))));
  }

  @Test
  void anExpiredCertificateIsNamed() {
    Pair old = ca.expired("old", "api.profix-it.nl");
    List<String> problems = problems(tls(old));
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).startsWith("http.tls.key: the certificate " + old.cert() + " expired on "), problems.toString());
  }

  @Test
  void anUnreadableOrMissingFileIsNamed() throws Exception {
    Path garbage = Files.writeString(ca.dir().resolve("garbage.pem"), "not a certificate");
    List<String> problems = problems(new JsonObject().put("cert", garbage.toString()).put("key", nl.key().toString()));
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).startsWith("http.tls.key: not a PEM certificate chain and private key"), problems.toString());
    assertEquals(List.of("http.tls.cert: file /nope.crt does not exist"),
        problems(new JsonObject().put("cert", "/nope.crt").put("key", nl.key().toString())));
  }

  @Test
  void aNameListedTwiceIsNamed() {
    JsonArray hosts = new JsonArray().add(host(be, "api.profix-it.be")).add(host(be, "*.profix-it.be", "API.profix-it.be"));
    assertEquals(List.of("http.tls.hosts[1].names: \"api.profix-it.be\" is listed twice"), problems(tls(nl).put("hosts", hosts)));
  }

  @Test
  void aHostNameItsCertificateDoesNotCoverIsNamedWithItsIndex() {
    JsonArray hosts = new JsonArray().add(host(be, "*.profix-it.be"))
        .add(host(nl, "api.profix-it.nl", "www.profix-it.nl", "api.profix-it.be"));
    assertEquals(List.of("http.tls.hosts[1].names: the certificate " + nl.cert()
        + " does not cover \"www.profix-it.nl\", \"api.profix-it.be\" (its DNS names: api.profix-it.nl)"),
        problems(tls(nl).put("hosts", hosts)));
  }

  @Test
  void aWildcardDnsNameCoversOneFirstLabelAndAWildcardNameNeedsTheWildcardItself() {
    Pair exact = ca.ec("exact", "api.profix-it.be");
    // *.profix-it.be in the certificate covers shop.profix-it.be, not a.b.profix-it.be (RFC 9525 §6.3)
    JsonArray covered = new JsonArray().add(host(be, "shop.profix-it.be", "*.profix-it.be"));
    TollgateConfig.Tls tls = ConfigLoader.parse(new JsonObject().put("http", new JsonObject()
        .put("tls", tls(nl).put("hosts", covered)))).http().tls();
    assertEquals(List.of("shop.profix-it.be", "*.profix-it.be"), tls.hosts().get(0).names());
    assertEquals(List.of("http.tls.hosts[0].names: the certificate " + be.cert()
        + " does not cover \"a.b.profix-it.be\" (its DNS names: api.profix-it.be, *.profix-it.be)"),
        problems(tls(nl).put("hosts", new JsonArray().add(host(be, "a.b.profix-it.be")))));
    // a certificate for one host under the wildcard cannot serve every host under it
    assertEquals(List.of("http.tls.hosts[0].names: the certificate " + exact.cert()
        + " does not cover \"*.profix-it.be\" (its DNS names: api.profix-it.be)"),
        problems(tls(nl).put("hosts", new JsonArray().add(host(exact, "api.profix-it.be", "*.profix-it.be")))));
  }

  @Test
  void protocolsOlderThanTls12AreNeverAccepted() {
    assertEquals(List.of("http.tls.protocols: only TLSv1.3 and TLSv1.2, got \"TLSv1.1\""),
        problems(tls(nl).put("protocols", new JsonArray().add("TLSv1.3").add("TLSv1.1"))));
  }

  @Test
  void theRedirectListenerNeedsTls() {
    JsonObject json = new JsonObject().put("http", new JsonObject().put("redirectPort", 8081));
    assertEquals(List.of("http.redirectPort: needs http.tls: it redirects to the https listener"),
        assertThrows(ConfigException.class, () -> ConfigLoader.parse(json)).problems());
  }
}
