package io.takhin.http;

/**
 * The HTTP server's settings. Immutable; the compact constructor rejects out-of-range values with an
 * {@link IllegalArgumentException} naming the field, so a bad config stops startup.
 *
 * @param host the address to bind, e.g. {@code 0.0.0.0} or {@code 127.0.0.1}
 * @param port the TCP port to bind, 0..65535; 0 picks a free port ({@link TakhinHttpServer#port()})
 * @param maxRequestBodyBytes the body limit of every route except produce
 * @param maxProduceBodyBytes the body limit of {@code POST /api/topics/{topic}/produce}
 * @param maxRequestHeaderBytes the limit of the request line plus headers; above it Jetty answers 431
 * @param idleTimeoutMs how long a connection may stay silent; must stay above the longest long poll
 *     (300 s) so that a waiting consume is never cut by the connector
 * @param maxConcurrentRequests requests in flight (body read, handled, response being written); above it
 *     the server answers 429 {@code too_many_requests}
 * @param acceptQueueSize the listen backlog of the server socket
 * @param maxPartitionsPerTopic the largest partition count {@code POST /api/topics} accepts
 */
public record HttpConfig(
        String host,
        int port,
        long maxRequestBodyBytes,
        long maxProduceBodyBytes,
        int maxRequestHeaderBytes,
        long idleTimeoutMs,
        int maxConcurrentRequests,
        int acceptQueueSize,
        int maxPartitionsPerTopic) {

    /** The default port, as in the seed documents' examples. */
    public static final int DEFAULT_PORT = 8080;

    /** Bodies are read into one array, so no limit may exceed what an array holds. */
    static final long MAX_BODY_BYTES_LIMIT = Integer.MAX_VALUE - 8;

    public HttpConfig {
        if (host.isBlank()) {
            throw new IllegalArgumentException("host must not be blank");
        }
        requireRange("port", port, 0, 65_535);
        requireRange("maxRequestBodyBytes", maxRequestBodyBytes, 1, MAX_BODY_BYTES_LIMIT);
        requireRange("maxProduceBodyBytes", maxProduceBodyBytes, 1, MAX_BODY_BYTES_LIMIT);
        requireRange("maxRequestHeaderBytes", maxRequestHeaderBytes, 1024, 1024 * 1024);
        requireRange("idleTimeoutMs", idleTimeoutMs, 1, Long.MAX_VALUE);
        requireRange("maxConcurrentRequests", maxConcurrentRequests, 1, 1_000_000);
        requireRange("acceptQueueSize", acceptQueueSize, 1, 65_535);
        requireRange("maxPartitionsPerTopic", maxPartitionsPerTopic, 1, 1_000_000);
    }

    /**
     * Listens on every interface, port 8080; 1 MiB bodies (64 MiB for produce); 8 KiB of headers;
     * 330 s idle timeout (above the 300 s longest long poll); 4096 concurrent requests; an accept
     * queue of 1024; at most 10,000 partitions per topic.
     */
    public static HttpConfig defaults() {
        return new HttpConfig("0.0.0.0", DEFAULT_PORT, 1L << 20, 64L << 20, 8 * 1024, 330_000L, 4096, 1024, 10_000);
    }

    /** A copy listening on {@code host:port}; the rest unchanged. */
    public HttpConfig withAddress(String host, int port) {
        return new HttpConfig(
                host,
                port,
                maxRequestBodyBytes,
                maxProduceBodyBytes,
                maxRequestHeaderBytes,
                idleTimeoutMs,
                maxConcurrentRequests,
                acceptQueueSize,
                maxPartitionsPerTopic);
    }

    private static void requireRange(String field, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(field + " must be between " + min + " and " + max + ", got " + value);
        }
    }
}
