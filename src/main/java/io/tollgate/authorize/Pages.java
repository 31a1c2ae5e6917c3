package io.tollgate.authorize;

import io.tollgate.tokens.OpaqueTokens;
import java.util.Base64;
import java.util.Map;

/**
 * The HTML of the browser pages: plain server-rendered forms that work without JavaScript, one
 * inline stylesheet allowed by its hash in the Content-Security-Policy. Every value is escaped here.
 */
final class Pages {
  static final String STYLE = """
      *{box-sizing:border-box}\
      body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;background:#eef1f5;\
      color:#111827;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}\
      main{width:100%;max-width:25rem;margin:1rem;padding:2rem;background:#fff;border-radius:.75rem;\
      box-shadow:0 1px 3px rgba(0,0,0,.12),0 8px 24px rgba(0,0,0,.06)}\
      .brand{margin:0 0 1rem;font-size:.8rem;font-weight:600;letter-spacing:.08em;text-transform:uppercase;color:#4b5563}\
      h1{margin:0 0 .25rem;font-size:1.5rem;line-height:1.25}\
      .lead{margin:0 0 1.25rem;color:#374151;overflow-wrap:anywhere}\
      label{display:block;margin:1rem 0 .25rem;font-weight:600}\
      input{width:100%;padding:.625rem .75rem;border:1px solid #6b7280;border-radius:.5rem;font:inherit}\
      input:focus{outline:3px solid #93c5fd;outline-offset:1px;border-color:#1d4ed8}\
      button{width:100%;margin-top:1.5rem;padding:.7rem;border:0;border-radius:.5rem;background:#1d4ed8;color:#fff;\
      font:inherit;font-weight:600;cursor:pointer}\
      button:hover{background:#1e3a8a}button:focus-visible{outline:3px solid #93c5fd;outline-offset:2px}\
      .secondary{margin-top:.75rem;background:#fff;color:#1d4ed8;border:1px solid #1d4ed8}.secondary:hover{background:#eff6ff}\
      .error{margin:0 0 1rem;padding:.75rem;border:1px solid #fecaca;border-radius:.5rem;background:#fef2f2;color:#991b1b}\
      .hint{margin:.25rem 0 0;font-size:.875rem;color:#4b5563}\
      .pin{display:block;margin:1rem 0;padding:1rem;border-radius:.5rem;background:#f3f4f6;\
      font:600 1.05rem/1.4 ui-monospace,SFMono-Regular,Menlo,monospace;word-break:break-all;user-select:all}""";

  /** The CSP source that allows exactly {@link #STYLE}. */
  static final String STYLE_HASH = "'sha256-" + Base64.getEncoder().encodeToString(OpaqueTokens.sha256(STYLE)) + "'";

  private Pages() {}

  /** What a login or change-password form needs besides its own fields. */
  record Form(AuthorizationRequest request, String action, String csrfToken, String error) {}

  static String login(Form form, String username) {
    return page("Sign in", """
        <h1>Sign in</h1>
        <p class="lead">to continue to <strong>%s</strong></p>
        %s<form method="post" action="%s"%s>
        %s<label for="username">Username</label>
        <input id="username" name="username" type="text" value="%s" autocomplete="username" autocapitalize="none" \
        spellcheck="false" required%s>
        <label for="password">Password</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required%s>
        <button type="submit">Sign in</button>
        <button type="submit" name="cancel" value="1" class="secondary" formnovalidate>Cancel</button>
        </form>
        """.formatted(Html.escape(form.request().client().id()), error(form.error()), Html.escape(form.action()),
        describedBy(form.error()), hidden(form), Html.escape(username), username == null ? " autofocus" : "",
        username == null ? "" : " autofocus"));
  }

  static String changePassword(Form form, String username, int minLength) {
    return page("Choose a new password", """
        <h1>Choose a new password</h1>
        <p class="lead">The password of <strong>%s</strong> must be changed before you continue to \
        <strong>%s</strong>.</p>
        %s<form method="post" action="%s"%s>
        %s<input type="hidden" name="username" value="%s">
        <label for="current-password">Current password</label>
        <input id="current-password" name="password" type="password" autocomplete="current-password" required autofocus>
        <label for="new-password">New password</label>
        <input id="new-password" name="newpassword" type="password" autocomplete="new-password" minlength="%d" \
        required aria-describedby="new-password-hint">
        <p class="hint" id="new-password-hint">At least %d characters, different from the current one.</p>
        <label for="repeat-password">Repeat the new password</label>
        <input id="repeat-password" name="repeatpassword" type="password" autocomplete="new-password" minlength="%d" required>
        <button type="submit">Change password and continue</button>
        </form>
        """.formatted(Html.escape(username), Html.escape(form.request().client().id()), error(form.error()),
        Html.escape(form.action()), describedBy(form.error()), hidden(form), Html.escape(username),
        minLength, minLength, minLength));
  }

  /** The installed-application PIN: the user copies the code into the application. */
  static String pin(AuthorizationRequest request, String code, int ttlSeconds) {
    return page("Your code", """
        <h1>Your code</h1>
        <p class="lead">Copy this code into <strong>%s</strong> to finish signing in.</p>
        <output id="pin" class="pin" aria-label="Authorization code">%s</output>
        <p class="hint">It can be used once, within %d seconds. You may close this window afterwards.</p>
        """.formatted(Html.escape(request.client().id()), Html.escape(code), ttlSeconds));
  }

  /** A request that cannot be answered to the client: the user reads why. */
  static String problem(String title, String sentence) {
    return page(title, """
        <h1>%s</h1>
        <p class="lead" role="alert">%s</p>
        <p class="hint">Please return to the application and try again, or contact its provider.</p>
        """.formatted(Html.escape(title), Html.escape(sentence)));
  }

  private static String page(String title, String content) {
    return """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="referrer" content="no-referrer">
        <title>%s – Tollgate</title>
        <style>%s</style>
        </head>
        <body>
        <main>
        <p class="brand">Tollgate</p>
        %s</main>
        </body>
        </html>
        """.formatted(Html.escape(title), STYLE, content);
  }

  private static String hidden(Form form) {
    StringBuilder fields = new StringBuilder();
    fields.append(field("csrf", form.csrfToken()));
    for (Map.Entry<String, String> f : form.request().formFields().entrySet()) {
      fields.append(field(f.getKey(), f.getValue()));
    }
    return fields.toString();
  }

  private static String field(String name, String value) {
    return "<input type=\"hidden\" name=\"" + Html.escape(name) + "\" value=\"" + Html.escape(value) + "\">\n";
  }

  private static String error(String message) {
    return message == null ? "" : "<p class=\"error\" id=\"form-error\" role=\"alert\">" + Html.escape(message) + "</p>\n";
  }

  private static String describedBy(String error) {
    return error == null ? "" : " aria-describedby=\"form-error\"";
  }
}
