package io.takhin.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP/1.1 keep-alive connection of a load tool, used by one thread at a time. Two kinds, so a
 * run can show whether the client is the bottleneck: {@code raw} ({@link RawHttpClient}, a socket and
 * a reused buffer) and {@code jdk} ({@link JdkHttpClient}, {@code java.net.http}).
 */
abstract class BenchClient implements AutoCloseable {
    /**
     * A response. The body is {@code length} bytes of {@code bytes} from {@code offset}; for the raw
     * client the array is reused by the next exchange.
     */
    record Response(int status, byte[] bytes, int offset, int length) {
        String text() {
            return new String(bytes, offset, length, StandardCharsets.UTF_8);
        }

        /** The response, or an exception naming the request, unless the status is {@code expected}. */
        Response expect(int expected, String what) {
            if (status != expected) {
                throw new IllegalStateException(what + " answered " + status + ": " + text());
            }
            return this;
        }
    }

    /** Sends one request ({@code body} may be empty) and reads the whole response. */
    abstract Response exchange(String method, String path, byte[] body) throws IOException;

    /** System.nanoTime() just before the last request's first byte was handed to the socket. */
    abstract long lastSendNanos();

    @Override
    public abstract void close();

    static BenchClient create(String kind, URI base) {
        return switch (kind) {
            case "raw" -> new RawHttpClient(base);
            case "jdk" -> new JdkHttpClient(base);
            default -> throw new IllegalArgumentException("--client must be raw or jdk, got " + kind);
        };
    }

    /** The URL, checked to be on the loopback interface: the load tools never target anything else. */
    static URI loopback(String url) {
        URI uri = URI.create(url);
        String host = uri.getHost();
        if (host == null || !(host.startsWith("127.") || host.equals("localhost"))) {
            throw new IllegalArgumentException("load tools target only the loopback address, got " + url);
        }
        return uri;
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
