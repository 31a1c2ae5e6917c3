package io.tollgate.authorize;

import io.tollgate.oauth.Form;
import io.tollgate.oauth.OAuthException;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.util.function.BiFunction;

/**
 * A submitted login form: {@code application/x-www-form-urlencoded}, parsed strictly, whose hidden
 * fields are validated as an authorization request again before the form's own step runs.
 */
final class FormBody {
  private FormBody() {}

  static void submit(RoutingContext ctx, AuthorizationRequests requests,
      BiFunction<AuthorizationRequest, Form, Future<Void>> step) {
    Form form;
    try {
      form = Form.parseBody(ctx.request().getHeader("Content-Type"), ctx.body().buffer());
    } catch (OAuthException malformed) {
      BrowserResponses.error(ctx, AuthorizationError.untrusted("The form is malformed: " + malformed.description()));
      return;
    }
    requests.parse(form)
        .compose(request -> step.apply(request, form)
            .recover(failure -> Future.failedFuture(AuthorizationError.of(request, failure))))
        .onFailure(failure -> BrowserResponses.error(ctx, failure));
  }
}
