package io.takhin.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Wake latency: one HTTP producer sends one record every {@code --interval-ms} while one HTTP
 * consumer long-polls the topic; for each record, the time from the produce request being sent (the
 * instant its first byte is handed to the socket) to the consume response carrying it being
 * received (its last byte read). Producer and consumer are threads of this process, so both
 * instants come from one {@link System#nanoTime} clock. Each record's value is its sequence number,
 * which maps it back to its send time.
 *
 * <p>The first {@code --warmup} records are sent back to back (one produce at a time, no pacing) and
 * consumed but not counted: they warm up the JIT on both sides, so that the paced samples measure
 * the server in its steady state. Prints p50, p90, p99, p99.9 and max of the rest, and the produce round trips for
 * comparison (a produce answers after its fsync).
 *
 * <p>Usage: {@code WakeLatency --url http://127.0.0.1:8080 --topic wake --samples 2000 --warmup 3000
 * --interval-ms 10 [--client raw|jdk]}. Bounded: it stops after the samples, or after
 * {@code (warmup + samples) * interval + 60 s}.
 */
public final class WakeLatency {
    private static final Pattern CONSUMER_ID = Pattern.compile("\"consumer_id\"\\s*:\\s*\"([^\"]+)\"");

    private WakeLatency() {}

    public static void main(String[] args) throws Exception {
        Args options = Args.parse(args);
        URI base = BenchClient.loopback(options.string("url", "http://127.0.0.1:8080"));
        String topic = options.string("topic", "wake");
        int samples = options.integer("samples", 2000);
        int warmup = options.integer("warmup", 3000);
        int intervalMs = options.integer("interval-ms", 10);
        int maxRecords = options.integer("max-records", 10);
        String clientKind = options.string("client", "raw");
        int total = warmup + samples;
        long deadlineNanos = System.nanoTime() + (total * (long) intervalMs + 60_000) * 1_000_000L;

        long[] sentNanos = new long[total];
        long[] receivedNanos = new long[total];
        long[] produceNanos = new long[total];
        Arrays.fill(receivedNanos, -1);

        BenchClient consumer = BenchClient.create(clientKind, base);
        String subscribed = consumer.exchange(
                        "POST",
                        "/api/consumers/subscribe",
                        BenchClient.utf8("{\"group_id\":\"wake-" + System.nanoTime() + "\",\"topics\":[\"" + topic
                                + "\"],\"auto_offset_reset\":\"latest\"}"))
                .expect(200, "subscribe")
                .text();
        Matcher id = CONSUMER_ID.matcher(subscribed);
        if (!id.find()) {
            throw new IllegalStateException("no consumer_id in " + subscribed);
        }
        String consumePath = "/api/consumers/" + id.group(1) + "/consume";
        byte[] consumeBody =
                BenchClient.utf8("{\"max_records\":" + maxRecords + ",\"timeout_ms\":30000,\"max_bytes_total\":1024}");
        // The position is taken at the first poll; an empty poll fixes it before the producer starts.
        consumer.exchange("POST", consumePath, BenchClient.utf8("{\"timeout_ms\":0}"))
                .expect(200, "first consume");

        int[] consumed = {0};
        Throwable[] consumerFailure = {null};
        Thread consumerThread = Thread.ofPlatform().name("consumer").start(() -> {
            try {
                while (consumed[0] < total && System.nanoTime() < deadlineNanos) {
                    BenchClient.Response response = consumer.exchange("POST", consumePath, consumeBody);
                    long now = System.nanoTime();
                    response.expect(200, "consume");
                    ConsumeResponses.scan(
                            response.bytes(),
                            response.offset(),
                            response.offset() + response.length(),
                            (partition, offset, bytes, valueStart, valueEnd) -> {
                                int sequence = Integer.parseInt(new String(
                                        Base64.getDecoder().decode(Arrays.copyOfRange(bytes, valueStart, valueEnd)),
                                        StandardCharsets.US_ASCII));
                                receivedNanos[sequence] = now;
                                consumed[0]++;
                            });
                }
            } catch (IOException | RuntimeException e) {
                consumerFailure[0] = e;
            }
        });

        String producePath = "/api/topics/" + topic + "/produce?value.format=string";
        try (BenchClient producer = BenchClient.create(clientKind, base)) {
            long startNanos = 0;
            for (int i = 0; i < total && consumerFailure[0] == null; i++) {
                if (i == warmup) {
                    // The paced, measured part starts after a pause that lets the warm-up drain.
                    startNanos = System.nanoTime() + 500_000_000L;
                }
                long dueNanos = i < warmup ? 0 : startNanos + (i - warmup) * intervalMs * 1_000_000L;
                for (long wait = dueNanos - System.nanoTime(); wait > 0; wait = dueNanos - System.nanoTime()) {
                    LockSupport.parkNanos(wait);
                }
                byte[] body = BenchClient.utf8("{\"records\":[{\"value\":\"" + i + "\"}]}");
                producer.exchange("POST", producePath, body).expect(200, "produce");
                long answeredNanos = System.nanoTime();
                sentNanos[i] = producer.lastSendNanos();
                produceNanos[i] = answeredNanos - sentNanos[i];
            }
        }
        consumerThread.join(Math.max(1, (deadlineNanos - System.nanoTime()) / 1_000_000));
        consumer.close();
        consumerThread.join(5_000);
        if (consumerFailure[0] != null) {
            throw new IllegalStateException("consumer failed", consumerFailure[0]);
        }

        long[] latencies = new long[samples];
        long[] produces = new long[samples];
        int missing = 0;
        for (int i = warmup; i < total; i++) {
            if (receivedNanos[i] < 0) {
                missing++;
                latencies[i - warmup] = Long.MAX_VALUE;
            } else {
                latencies[i - warmup] = receivedNanos[i] - sentNanos[i];
            }
            produces[i - warmup] = produceNanos[i];
        }
        Arrays.sort(latencies);
        Arrays.sort(produces);
        System.out.printf(
                "wake-latency client=%s samples=%d warmup=%d interval-ms=%d missing=%d"
                        + " p50-ms=%.3f p90-ms=%.3f p99-ms=%.3f p99.9-ms=%.3f max-ms=%.3f%n",
                clientKind,
                samples,
                warmup,
                intervalMs,
                missing,
                ms(latencies, 0.50),
                ms(latencies, 0.90),
                ms(latencies, 0.99),
                ms(latencies, 0.999),
                latencies[samples - 1] / 1e6);
        System.out.printf(
                "produce-round-trip (send to 200, includes the fsync) p50-ms=%.3f p90-ms=%.3f p99-ms=%.3f max-ms=%.3f%n",
                ms(produces, 0.50), ms(produces, 0.90), ms(produces, 0.99), produces[samples - 1] / 1e6);
        if (missing > 0) {
            throw new IllegalStateException(missing + " records were never received");
        }
    }

    private static double ms(long[] sorted, double quantile) {
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(quantile * sorted.length))] / 1e6;
    }
}
