package io.tollgate.admin;

import static io.tollgate.TestTollgate.json;

import io.tollgate.TestTollgate;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Calls to one Tollgate's admin API with an admin token obtained the documented way (admin-cli, password grant). */
final class AdminCalls {
  static final String CLI = "admin-cli:admin-cli-secret";
  static final String PASSWORD_CLIENT = "b81cc4de-d192-400e-bcb4-09254394c52a:n3G7KAhcv8OH";

  final TestTollgate tollgate;
  final String token;

  AdminCalls(TestTollgate tollgate) {
    this(tollgate, adminToken(tollgate));
  }

  AdminCalls(TestTollgate tollgate, String token) {
    this.tollgate = tollgate;
    this.token = token;
  }

  static String adminToken(TestTollgate tollgate) {
    JsonObject answer = json(tollgate.postForm("/token", CLI, "grant_type", "password",
        "username", "admin@profix-it.nl", "password", "admin-password", "scope", "admin"));
    String token = answer.getString("access_token");
    if (token == null) {
      throw new IllegalStateException("no admin token: " + answer);
    }
    return token;
  }

  HttpResponse<String> get(String path) {
    return send("GET", path, null);
  }

  HttpResponse<String> delete(String path) {
    return send("DELETE", path, null);
  }

  HttpResponse<String> post(String path, Object body) {
    return send("POST", path, body == null ? null : body.toString());
  }

  HttpResponse<String> put(String path, Object body) {
    return send("PUT", path, body.toString());
  }

  HttpResponse<String> send(String method, String path, String body) {
    return send(method, path, "application/json", body);
  }

  HttpResponse<String> send(String method, String path, String contentType, String body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(tollgate.uri(path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    if (body != null && contentType != null) {
      request.header("Content-Type", contentType);
    }
    return tollgate.send(request.build());
  }

  /** The error code of a JSON error answer. */
  static String error(HttpResponse<String> response) {
    return json(response).getString("error");
  }

  static String description(HttpResponse<String> response) {
    return json(response).getString("error_description");
  }
}
