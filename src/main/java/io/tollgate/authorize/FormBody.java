package io.tollgate.authorize;

import io.tollgate.oauth.Form;
import io.tollgate.oauth.OAuthException;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.util.function.BiFunction;

/**
 * A submitted login form: {@code application/x-www-form-urlencoded}, parsed strictly, whose hidden
 * fields are validated as an authorization request again and whose CSRF token is checked before the
 * form's own step runs.
 */
final class FormBody {
  private FormBody() {}

  static void submit(RoutingContext ctx, AuthorizationRequests requests, FormPages pages,
      BiFunction<AuthorizationRequest, Form, Future<Void>> step) {
    Form form;
    try {
      form = Form.parseBody(ctx.request().getHeader("Content-Type"), ctx.body().buffer());
    } catch (OAuthException malformed) {
      BrowserResponses.error(ctx, AuthorizationError.untrusted("The form is malformed: " + malformed.description()));
      return;
    }
    requests.parse(form)
        .compose(request -> csrfChecked(ctx, pages, request, form, step)
            .recover(failure -> Future.failedFuture(AuthorizationError.of(request, failure))))
        .onFailure(failure -> BrowserResponses.error(ctx, failure));
  }

  /** RFC 6749 §10.12: a form whose CSRF token is not this session's (expired or forged) starts over at login. */
  private static Future<Void> csrfChecked(RoutingContext ctx, FormPages pages, AuthorizationRequest request, Form form,
      BiFunction<AuthorizationRequest, Form, Future<Void>> step) {
    if (!pages.csrfMatches(ctx, form.get("csrf"))) {
      pages.login(ctx, request, 403, LoginForm.EXPIRED, form.get("username"));
      return Future.succeededFuture();
    }
    return step.apply(request, form);
  }
}
