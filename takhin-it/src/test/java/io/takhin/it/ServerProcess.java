package io.takhin.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server as a separate JVM process (same classpath and JDK as the test), so a test can kill it
 * with SIGKILL mid-write. Not thread-safe; one test owns it.
 */
final class ServerProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)");

    private final Process process;
    private final int port;
    private final List<String> output;

    private ServerProcess(Process process, int port, List<String> output) {
        this.process = process;
        this.port = port;
        this.output = output;
    }

    /** Starts {@code takhin serve} on 127.0.0.1, port 0, and waits until it listens. */
    static ServerProcess start(Path dataDir, String... extraFlags) throws IOException {
        String javaBinary = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(
                javaBinary,
                "-cp",
                System.getProperty("java.class.path"),
                "io.takhin.server.Main",
                "serve",
                "--data-dir=" + dataDir,
                "--api-addr=127.0.0.1:0"));
        command.addAll(List.of(extraFlags));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> output = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("server-output").start(() -> {
            try (BufferedReader reader =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    output.add(line);
                    Matcher matcher = LISTENING.matcher(line);
                    if (matcher.find()) {
                        port.complete(Integer.parseInt(matcher.group(1)));
                    }
                }
                port.completeExceptionally(
                        new IllegalStateException("server exited before listening:\n" + String.join("\n", output)));
            } catch (IOException e) {
                port.completeExceptionally(e);
            }
        });
        try {
            return new ServerProcess(process, port.get(60, TimeUnit.SECONDS), output);
        } catch (Exception e) {
            process.destroyForcibly();
            throw new IllegalStateException("server did not start; output:\n" + String.join("\n", output), e);
        }
    }

    HttpApi api() {
        return new HttpApi("http://127.0.0.1:" + port);
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed or closed. */
    void kill() {
        process.destroyForcibly();
        waitFor();
    }

    /** SIGTERM: the shutdown hook closes the server cleanly. */
    @Override
    public void close() {
        process.destroy();
        waitFor();
    }

    List<String> output() {
        synchronized (output) {
            return List.copyOf(output);
        }
    }

    private void waitFor() {
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new UncheckedIOException(new IOException("server process did not stop within 60 s"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
