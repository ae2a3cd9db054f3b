package io.takhin.bench;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** {@link BenchClient} over {@code java.net.http} (HTTP/1.1, one client per instance). Not thread-safe. */
final class JdkHttpClient extends BenchClient {
    private final URI base;
    private final HttpClient client;
    private long lastSendNanos;

    JdkHttpClient(URI base) {
        this.base = base;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    @Override
    Response exchange(String method, String path, byte[] body) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(120))
                .header("Content-Type", "application/json")
                .method(
                        method,
                        body.length == 0
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        lastSendNanos = System.nanoTime();
        try {
            HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            byte[] bytes = response.body();
            return new Response(response.statusCode(), bytes, 0, bytes.length);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted during " + method + " " + path);
        }
    }

    @Override
    long lastSendNanos() {
        return lastSendNanos;
    }

    @Override
    public void close() {
        client.close();
    }
}
