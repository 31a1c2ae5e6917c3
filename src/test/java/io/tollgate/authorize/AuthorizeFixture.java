package io.tollgate.authorize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tollgate.TestTollgate;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Clients and users of the authorization-code tests, with redirect URIs under {@code callbackBase}
 * (a real server in the browser tests, a name nobody resolves elsewhere), and the steps of the flow
 * over plain HTTP with redirects not followed.
 */
public final class AuthorizeFixture {
  public static final String WEB = "web-app";
  public static final String WEB_SECRET = "web-app-secret";
  public static final String ONE_URI = "one-uri-app";
  public static final String ONE_URI_SECRET = "one-uri-secret";
  public static final String SPA = "spa";
  public static final String PASSWORD_CLIENT = "password-app";
  public static final String OOB = "urn:ietf:wg:oauth:2.0:oob";
  /** The PKCE pair of RFC 7636 Appendix B. */
  public static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
  public static final String CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

  private static final Pattern HIDDEN = Pattern.compile("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">");

  private final TestTollgate tollgate;
  private final String callbackBase;

  private AuthorizeFixture(TestTollgate tollgate, String callbackBase) {
    this.tollgate = tollgate;
    this.callbackBase = callbackBase;
  }

  /** The test configuration with this fixture's bootstrap file. */
  public static JsonObject config(String name, String callbackBase) {
    JsonObject config = TestTollgate.config(name);
    config.put("bootstrap", bootstrapFile(callbackBase).toString());
    return config;
  }

  public static AuthorizeFixture start(JsonObject config, String callbackBase) {
    return new AuthorizeFixture(TestTollgate.start(config), callbackBase);
  }

  public TestTollgate tollgate() {
    return tollgate;
  }

  public String callback() {
    return callbackBase + "/callback";
  }

  /** The only redirect URI of {@link #ONE_URI}, which has a query of its own. */
  public String oneUriCallback() {
    return callbackBase + "/cb?tenant=7";
  }

  public String spaCallback() {
    return callbackBase + "/spa";
  }

  private static Path bootstrapFile(String base) {
    String yaml = """
        roles:
          - { name: consumer, scopes: [profile, orders] }
        clients:
          - { id: web-app, secret: web-app-secret, grant: authorization_code, scopes: [profile, orders, admin],
              redirectUris: ["%1$s/callback", "%1$s/second", "urn:ietf:wg:oauth:2.0:oob"] }
          - { id: one-uri-app, secret: one-uri-secret, grant: authorization_code, scopes: [profile],
              redirectUris: ["%1$s/cb?tenant=7"] }
          - { id: spa, public: true, grant: authorization_code, scopes: [profile], redirectUris: ["%1$s/spa"] }
          - { id: password-app, secret: password-app-secret, grant: password, scopes: [profile],
              redirectUris: ["%1$s/pw"] }
        users:
          - { id: "a1", username: alice@example.com, password: alice-password-1, roles: [consumer] }
          - { id: "b2", username: bob@example.com, password: bob-password-1, roles: [consumer], requirePasswordChange: true }
          - { id: "c3", username: carol@example.com, password: carol-password-1, roles: [consumer] }
          - { id: "d4", username: dave@example.com, password: dave-password-1, roles: [consumer] }
        """.formatted(base);
    try {
      Path file = Files.createTempFile("tollgate-authorize-bootstrap", ".yaml");
      Files.writeString(file, yaml);
      file.toFile().deleteOnExit();
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code /Authorization?} with the given parameters, form-encoded. */
  public static String authorizePath(String... pairs) {
    return "/Authorization?" + encode(pairs);
  }

  public HttpResponse<String> get(String pathAndQuery, String cookies, String... headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(tollgate.uri(pathAndQuery)).GET();
    if (cookies != null && !cookies.isEmpty()) {
      request.header("Cookie", cookies);
    }
    for (int i = 0; i + 1 < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return tollgate.send(request.build());
  }

  public HttpResponse<String> post(String path, String cookies, Map<String, String> form) {
    HttpRequest.Builder request = HttpRequest.newBuilder(tollgate.uri(path))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(encode(form)));
    if (cookies != null && !cookies.isEmpty()) {
      request.header("Cookie", cookies);
    }
    return tollgate.send(request.build());
  }

  /** A login page opened, with its form's fields and the cookies the browser would keep. */
  public record LoginPage(HttpResponse<String> response, Map<String, String> fields, String cookies) {
    public Map<String, String> with(String... pairs) {
      Map<String, String> form = new LinkedHashMap<>(fields);
      for (int i = 0; i + 1 < pairs.length; i += 2) {
        form.put(pairs[i], pairs[i + 1]);
      }
      return form;
    }
  }

  public LoginPage open(String authorizePath) {
    HttpResponse<String> page = get(authorizePath, null);
    assertEquals(200, page.statusCode(), page.body());
    return new LoginPage(page, hiddenFields(page.body()), cookies(page, null));
  }

  /** Opens the login page and signs in; the answer to the login form (a redirect, or a page). */
  public HttpResponse<String> login(String authorizePath, String username, String password) {
    LoginPage page = open(authorizePath);
    return post("/Authorization", page.cookies(), page.with("username", username, "password", password));
  }

  /** Signs in and returns the code from the redirect. */
  public String code(String authorizePath, String username, String password) {
    HttpResponse<String> answer = login(authorizePath, username, password);
    assertEquals(302, answer.statusCode(), answer.body());
    return query(location(answer)).get("code");
  }

  public static Map<String, String> hiddenFields(String html) {
    Map<String, String> fields = new LinkedHashMap<>();
    Matcher m = HIDDEN.matcher(html);
    while (m.find()) {
      fields.put(m.group(1), unescape(m.group(2)));
    }
    assertTrue(fields.containsKey("csrf"), "the page has a form with a CSRF token: " + html);
    return fields;
  }

  /** The cookies set by a response, added to those already held, as a Cookie header. */
  public static String cookies(HttpResponse<?> response, String held) {
    Map<String, String> jar = new LinkedHashMap<>();
    if (held != null && !held.isEmpty()) {
      for (String c : held.split("; ")) {
        jar.put(c.substring(0, c.indexOf('=')), c.substring(c.indexOf('=') + 1));
      }
    }
    for (String setCookie : response.headers().allValues("Set-Cookie")) {
      String pair = setCookie.split(";", 2)[0];
      jar.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
    }
    StringBuilder header = new StringBuilder();
    jar.forEach((k, v) -> header.append(header.length() == 0 ? "" : "; ").append(k).append('=').append(v));
    return header.toString();
  }

  public static String location(HttpResponse<?> response) {
    return response.headers().firstValue("Location").orElseThrow(() -> new AssertionError("no Location header"));
  }

  public static Map<String, String> query(String uri) {
    Map<String, String> params = new LinkedHashMap<>();
    String query = URI.create(uri).getRawQuery();
    if (query != null) {
      for (String pair : query.split("&")) {
        int eq = pair.indexOf('=');
        params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return params;
  }

  public static String encode(String... pairs) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i + 1 < pairs.length; i += 2) {
      map.put(pairs[i], pairs[i + 1]);
    }
    return encode(map);
  }

  public static String encode(Map<String, String> params) {
    StringBuilder out = new StringBuilder();
    params.forEach((k, v) -> out.append(out.length() == 0 ? "" : "&").append(URLEncoder.encode(k, StandardCharsets.UTF_8))
        .append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
    return out.toString();
  }

  private static String unescape(String html) {
    return html.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">")
        .replace("&amp;", "&");
  }

  public void close() {
    tollgate.close();
  }
}
