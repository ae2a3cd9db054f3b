package io.takhin.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * HTTP produce load: N clients, each on its own connection, send batches of records of a fixed size
 * to one topic as fast as the server acknowledges them, for a bounded time and request count.
 * Prints records/s and request latency percentiles.
 *
 * <p>Usage: {@code ProduceLoad --url http://127.0.0.1:8080 --topic t --clients 1 --seconds 10
 * --batch 1000 --record-bytes 100 [--max-requests 100000]}
 */
public final class ProduceLoad {
    private ProduceLoad() {}

    public static void main(String[] args) throws Exception {
        Args options = Args.parse(args);
        String url = options.string("url", "http://127.0.0.1:8080");
        String topic = options.string("topic", "bench");
        int clients = options.integer("clients", 1);
        int seconds = options.integer("seconds", 10);
        int batch = options.integer("batch", 1000);
        int recordBytes = options.integer("record-bytes", 100);
        long maxRequests = options.integer("max-requests", 1_000_000);
        if (!url.startsWith("http://127.") && !url.startsWith("http://localhost")) {
            throw new IllegalArgumentException("load tools target only the loopback address, got " + url);
        }

        byte[] body = body(batch, recordBytes, new Random(42));
        URI uri = URI.create(url + "/api/topics/" + topic + "/produce?value.format=string");
        AtomicLong requests = new AtomicLong();
        long deadlineNanos = System.nanoTime() + seconds * 1_000_000_000L;
        List<long[]> latencies = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        long startNanos = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            long[] clientLatencies = new long[(int) Math.min(maxRequests, 2_000_000) + 1];
            latencies.add(clientLatencies);
            threads.add(Thread.ofPlatform().name("client-" + c).start(() -> run(uri, body, requests, maxRequests, deadlineNanos, clientLatencies)));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        double elapsedSeconds = (System.nanoTime() - startNanos) / 1e9;
        long[] all = merge(latencies);
        long records = requests.get() * batch;
        System.out.printf(
                "produce clients=%d batch=%d record-bytes=%d requests=%d records=%d seconds=%.2f records/s=%.0f MB/s=%.1f p50-ms=%.2f p99-ms=%.2f%n",
                clients, batch, recordBytes, requests.get(), records, elapsedSeconds, records / elapsedSeconds,
                records * recordBytes / elapsedSeconds / 1e6, percentile(all, 0.50) / 1e6, percentile(all, 0.99) / 1e6);
    }

    private static void run(URI uri, byte[] body, AtomicLong requests, long maxRequests, long deadlineNanos, long[] latencies) {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        int count = 0;
        while (System.nanoTime() < deadlineNanos && requests.get() < maxRequests) {
            long start = System.nanoTime();
            try {
                HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
                if (response.statusCode() != 200) {
                    throw new IllegalStateException("produce answered " + response.statusCode() + ": " + new String(response.body(), StandardCharsets.UTF_8));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
            if (count < latencies.length - 1) {
                latencies[++count] = System.nanoTime() - start;
                latencies[0] = count;
            }
            requests.incrementAndGet();
        }
    }

    /** A produce body of {@code batch} string records, each value {@code recordBytes} ASCII characters. */
    static byte[] body(int batch, int recordBytes, Random random) {
        StringBuilder json = new StringBuilder(batch * (recordBytes + 16)).append("{\"records\":[");
        char[] value = new char[recordBytes];
        for (int i = 0; i < batch; i++) {
            for (int j = 0; j < recordBytes; j++) {
                value[j] = (char) ('a' + random.nextInt(26));
            }
            json.append(i == 0 ? "" : ",").append("{\"value\":\"").append(value).append("\"}");
        }
        return json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static long[] merge(List<long[]> perClient) {
        int total = 0;
        for (long[] latencies : perClient) {
            total += (int) latencies[0];
        }
        long[] all = new long[total];
        int position = 0;
        for (long[] latencies : perClient) {
            int count = (int) latencies[0];
            System.arraycopy(latencies, 1, all, position, count);
            position += count;
        }
        Arrays.sort(all);
        return all;
    }

    static double percentile(long[] sorted, double quantile) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(quantile * sorted.length))];
    }
}
