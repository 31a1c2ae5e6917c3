// The benchmark backend: one Vert.x event loop answering every request with ~100 bytes of JSON.
// A request body (the 1 MiB scenario) is read to the end and discarded before the answer, as a real
// API would. Run as a single-file program with the shaded jar on the class path:
//   java -cp target/tollgate.jar bench/BenchBackend.java PORT
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;

public class BenchBackend {
  private static final Buffer BODY = Buffer.buffer(
      "{\"id\":12345,\"status\":\"ok\",\"items\":[1,2,3],\"message\":\"hello from the benchmark backend\"}\n");

  public static void main(String[] args) {
    int port = Integer.parseInt(args[0]);
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    vertx.createHttpServer(new HttpServerOptions().setPort(port).setHost("127.0.0.1").setIdleTimeout(0))
        .requestHandler(req -> req.end().onComplete(read -> req.response()
            .putHeader("Content-Type", "application/json")
            .putHeader("Content-Length", String.valueOf(BODY.length()))
            .end(BODY)))
        .listen()
        .onSuccess(s -> System.out.println("bench backend listening on 127.0.0.1:" + s.actualPort()))
        .onFailure(err -> {
          System.err.println("bench backend failed: " + err);
          System.exit(2);
        });
  }
}
