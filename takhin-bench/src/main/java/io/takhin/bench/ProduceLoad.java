package io.takhin.bench;

import java.net.URI;
import java.nio.charset.StandardCharsets;
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
 * Also prints this process's CPU and, given {@code --server-pid}, the server's, each as % of one core.
 *
 * <p>Usage: {@code ProduceLoad --url http://127.0.0.1:8080 --topic t --clients 1 --seconds 10
 * --batch 1000 --record-bytes 100 [--max-requests 100000] [--client raw|jdk] [--server-pid PID]}
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
        String clientKind = options.string("client", "raw");
        long serverPid = options.integer("server-pid", -1);
        URI base = BenchClient.loopback(url);

        byte[] body = body(batch, recordBytes, new Random(42));
        String path = "/api/topics/" + topic + "/produce?value.format=string";
        AtomicLong requests = new AtomicLong();
        long deadlineNanos = System.nanoTime() + seconds * 1_000_000_000L;
        List<long[]> latencies = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        List<RuntimeException> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        ServerProcess server = serverPid > 0 ? new ServerProcess(serverPid) : null;
        long serverCpuStart = server == null ? 0 : server.cpuNanos();
        long clientCpuStart = processCpuNanos();
        long startNanos = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            long[] clientLatencies = new long[(int) Math.min(maxRequests, 2_000_000) + 1];
            latencies.add(clientLatencies);
            threads.add(Thread.ofPlatform().name("client-" + c).start(() -> {
                try {
                    run(clientKind, base, path, body, requests, maxRequests, deadlineNanos, clientLatencies);
                } catch (RuntimeException e) {
                    failures.add(e);
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("a client failed", failures.getFirst());
        }
        long elapsedNanos = System.nanoTime() - startNanos;
        double elapsedSeconds = elapsedNanos / 1e9;
        long clientCpu = processCpuNanos() - clientCpuStart;
        String serverCpu = server == null
                ? "n/a"
                : String.format("%.0f%%", (server.cpuNanos() - serverCpuStart) * 100.0 / elapsedNanos);
        long[] all = merge(latencies);
        long records = requests.get() * batch;
        System.out.printf(
                "produce client=%s clients=%d batch=%d record-bytes=%d requests=%d records=%d seconds=%.2f"
                        + " records/s=%.0f value-MB/s=%.1f p50-ms=%.2f p99-ms=%.2f client-cpu=%.0f%% server-cpu=%s%n",
                clientKind,
                clients,
                batch,
                recordBytes,
                requests.get(),
                records,
                elapsedSeconds,
                records / elapsedSeconds,
                records * recordBytes / elapsedSeconds / 1e6,
                percentile(all, 0.50) / 1e6,
                percentile(all, 0.99) / 1e6,
                clientCpu * 100.0 / elapsedNanos,
                serverCpu);
    }

    private static void run(
            String clientKind,
            URI base,
            String path,
            byte[] body,
            AtomicLong requests,
            long maxRequests,
            long deadlineNanos,
            long[] latencies) {
        try (BenchClient client = BenchClient.create(clientKind, base)) {
            int count = 0;
            while (System.nanoTime() < deadlineNanos && requests.get() < maxRequests) {
                long start = System.nanoTime();
                client.exchange("POST", path, body).expect(200, "produce");
                if (count < latencies.length - 1) {
                    latencies[++count] = System.nanoTime() - start;
                    latencies[0] = count;
                }
                requests.incrementAndGet();
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean)
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
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
