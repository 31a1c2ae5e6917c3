package io.tollgate;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Tollgate in its own JVM ({@code io.tollgate.Main} on the test class path), for what needs a
 * process of its own: a small heap, signals, a restart.
 */
public final class ChildTollgate implements AutoCloseable {
  private final Process process;
  private final int port;
  private final Path log;
  private final Path configFile;

  private ChildTollgate(Process process, int port, Path log, Path configFile) {
    this.process = process;
    this.port = port;
    this.log = log;
    this.configFile = configFile;
  }

  /** Starts {@code config} (see {@link TestTollgate#config}) with extra JVM options, and waits for /health. */
  public static ChildTollgate start(JsonObject config, String... jvmOptions) {
    return start("io.tollgate.Main", config, jvmOptions);
  }

  /** The same with another main class, one that starts Tollgate through {@code Main} and does more. */
  public static ChildTollgate start(String mainClass, JsonObject config, String... jvmOptions) {
    ChildTollgate child = launch(mainClass, config, freePort(), jvmOptions);
    child.awaitHealthy(Duration.ofSeconds(60));
    return child;
  }

  /** Starts {@code config} with extra JVM options and returns at once, while it is still starting. */
  public static ChildTollgate launch(JsonObject config, String... jvmOptions) {
    return launch(config, freePort(), jvmOptions);
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts {@code config} on {@code port} and returns at once. */
  public static ChildTollgate launch(JsonObject config, int port, String... jvmOptions) {
    return launch("io.tollgate.Main", config, port, jvmOptions);
  }

  private static ChildTollgate launch(String mainClass, JsonObject config, int port, String... jvmOptions) {
    try {
      config.getJsonObject("http").put("port", port);
      Path file = Files.createTempFile("tollgate-child", ".yaml");
      Files.writeString(file, config.encodePrettily()); // JSON is YAML
      // under target/ so that the log check of ./test.sh reads it too
      Path logs = Files.createDirectories(Path.of("target", "child-logs"));
      Path log = Files.createTempFile(logs, "tollgate-child", ".log");
      String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
      List<String> command = new ArrayList<>(List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString()));
      command.addAll(List.of(jvmOptions));
      if (System.getProperty("tollgate.proxy") != null) { // the gateway tests run on both proxies (README)
        command.add("-Dtollgate.proxy=" + System.getProperty("tollgate.proxy"));
      }
      command.addAll(List.of("-cp", classpath, mainClass, "--config", file.toString()));
      Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      return new ChildTollgate(process, port, log, file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void awaitHealthy(Duration patience) {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + patience.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("Tollgate exited with " + process.exitValue() + ":\n" + output());
      }
      try {
        if (http.send(HttpRequest.newBuilder(uri("/health")).build(), HttpResponse.BodyHandlers.discarding())
            .statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new IllegalStateException("Tollgate did not become healthy:\n" + output());
  }

  public URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + port + pathAndQuery);
  }

  /** Rewrites the configuration file (on the same port), for a reload to read. */
  public void rewrite(JsonObject config) {
    try {
      config.getJsonObject("http").put("port", port);
      Files.writeString(configFile, config.encodePrettily());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sends SIGHUP, as an operator's {@code kill -HUP} does. */
  public void hangUp() {
    try {
      Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(process.pid())).inheritIO().start();
      if (kill.waitFor() != 0) {
        throw new IllegalStateException("kill -HUP failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public Process process() {
    return process;
  }

  /** Everything the process wrote so far. */
  public String output() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
