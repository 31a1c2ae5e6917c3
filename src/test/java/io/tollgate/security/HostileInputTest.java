package io.tollgate.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tollgate.RawHttp;
import io.tollgate.TestTollgate;
import io.vertx.core.json.JsonObject;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.io.InputStream;
import java.io.OutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Issue 7: hostile input gets a clear 4xx, and nothing is half-written. */
class HostileInputTest {
  static TestTollgate tollgate;

  @BeforeAll
  static void start() {
    JsonObject config = TestTollgate.config("hostile");
    config.getJsonObject("http").put("requestTimeout", 1000);
    tollgate = TestTollgate.start(config);
  }

  @AfterAll
  static void stop() {
    tollgate.close();
  }

  private static String tokenRequest(String extraHeaders, String body) {
    return "POST /token HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        + "Authorization: Basic czZCaGRSa3F0MzpnWDFmQmF0M2JW\r\n" + extraHeaders
        + "Connection: close\r\n\r\n" + body;
  }

  @Test
  void oversizedHeadersAre431() {
    RawHttp.Answer answer = RawHttp.exchange(tollgate.port(),
        tokenRequest("X-Padding: " + "a".repeat(20_000) + "\r\n", ""));
    assertEquals(431, answer.status(), answer.text());
  }

  @Test
  void contentLengthAndChunkedTogetherNeverSmuggleASecondRequest() {
    String smuggled = "0\r\n\r\nGET /.well-known/jwks.json HTTP/1.1\r\nHost: x\r\n\r\n";
    RawHttp.Answer answer = RawHttp.exchange(tollgate.port(), tokenRequest(
        "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n", "1d\r\ngrant_type=client_credentials\r\n" + smuggled));
    assertTrue(answer.status() == 400 || answer.status() == 200, answer.text());
    assertEquals(1, answer.text().split("HTTP/1.1 ").length - 1, "one request, one answer: " + answer.text());
  }

  @Test
  void aBodyTricklingInSlowerThanTheRequestTimeoutIsCutOff() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", tollgate.port())) {
      socket.setSoTimeout(5_000);
      OutputStream out = socket.getOutputStream();
      out.write(tokenRequest("Content-Length: 100\r\n", "grant_type=").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      long start = System.nanoTime();
      InputStream in = socket.getInputStream();
      String answer;
      try {
        for (int i = 0; i < 6; i++) {
          Thread.sleep(300);
          out.write('x');
          out.flush();
        }
      } catch (java.io.IOException closed) {
        // the server gave up on us: what we want
      }
      answer = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertTrue(answer.startsWith("HTTP/1.1 408"), answer);
      assertTrue(millis < 4_000, "cut off at the timeout: " + millis + " ms");
    }
  }

  @Test
  void absurdJsonNestingIsABadRequest() {
    String deep = "[".repeat(20_000) + "]".repeat(20_000); // within the body limit: the parser must refuse it
    RawHttp.Answer answer = RawHttp.exchange(tollgate.port(), "POST /consumer/login HTTP/1.1\r\nHost: x\r\n"
        + "Content-Type: application/json\r\nContent-Length: " + deep.length() + "\r\nConnection: close\r\n\r\n" + deep);
    assertEquals(400, answer.status(), answer.text());
    String nested = "{\"username\":" + "{\"a\":".repeat(5_000) + "1" + "}".repeat(5_000) + ",\"password\":\"x\"}";
    RawHttp.Answer nestedAnswer = RawHttp.exchange(tollgate.port(), "POST /consumer/login HTTP/1.1\r\nHost: x\r\n"
        + "Content-Type: application/json\r\nContent-Length: " + nested.length() + "\r\nConnection: close\r\n\r\n" + nested);
    assertEquals(400, nestedAnswer.status(), nestedAnswer.text());
  }

  @Test
  void nulAndCrlfInParametersAreInvalidRequests() {
    for (String body : new String[] {"grant_type=client_credentials&scope=profile%00admin",
        "grant_type=client_credentials%0d%0aX-Injected:%201", "grant_type=client_credentials&scope=%0aprofile"}) {
      RawHttp.Answer answer = RawHttp.exchange(tollgate.port(),
          tokenRequest("Content-Length: " + body.length() + "\r\n", body));
      assertEquals(400, answer.status(), body + " → " + answer.text());
      assertEquals("invalid_request", new JsonObject(answer.body()).getString("error"), body);
      assertTrue(!answer.text().contains("X-Injected"), "no header injection");
    }
  }

  @Test
  void aMalformedPercentEncodingIsAnInvalidRequestOverHttp2() {
    // found by TokenEndpointPropertiesTest: over HTTP/2 the stream's form decoder refused it first, as a 500
    java.net.http.HttpClient h2 = java.net.http.HttpClient.newBuilder()
        .version(java.net.http.HttpClient.Version.HTTP_2).build();
    try { // a request without a body upgrades the connection to HTTP/2 (h2c)
      h2.send(java.net.http.HttpRequest.newBuilder(tollgate.uri("/health")).build(),
          java.net.http.HttpResponse.BodyHandlers.discarding());
    } catch (java.io.IOException | InterruptedException e) {
      throw new AssertionError(e);
    }
    for (String body : new String[] {"grant_type=%zz", "grant_type=%&grant_type=client_credentials",
        "scope=%e2%82&grant_type=client_credentials", "x=%zz&grant_type=client_credentials"}) {
      var request = java.net.http.HttpRequest.newBuilder(tollgate.uri("/token"))
          .header("Content-Type", "application/x-www-form-urlencoded")
          .header("Authorization", "Basic czZCaGRSa3F0MzpnWDFmQmF0M2JW")
          .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build();
      try {
        var response = h2.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(java.net.http.HttpClient.Version.HTTP_2, response.version());
        assertEquals(400, response.statusCode(), body + " " + response.body());
        assertEquals("invalid_request", new JsonObject(response.body()).getString("error"));
      } catch (java.io.IOException | InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }

  @Test
  void crlfInARedirectUriIsNeverRedirectedTo() {
    var response = tollgate.get("/Authorization?client_id=spa-public&response_type=code&code_challenge_method=S256"
        + "&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        + "&redirect_uri=https%3A%2F%2Fspa.example%2Fcallback%0d%0aSet-Cookie:%20x=1");
    assertEquals(400, response.statusCode());
    assertTrue(response.headers().firstValue("Location").isEmpty());
    assertTrue(response.headers().firstValue("Set-Cookie").map(c -> !c.startsWith("x=")).orElse(true));
  }

  @Test
  void aTraversalInAProxiedPathIsRefused() {
    for (String path : new String[] {"/v1/../admin", "/v1/%2e%2e/admin", "/v1/..%2Fadmin", "/v1/.%2e/admin"}) {
      RawHttp.Answer answer = RawHttp.exchange(tollgate.port(),
          "GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
      assertEquals(400, answer.status(), path + " → " + answer.text());
    }
  }
}
