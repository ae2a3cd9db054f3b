package io.takhin.bench;

import io.takhin.common.Time;
import io.takhin.storage.log.LogConfig;
import io.takhin.storage.log.LogManager;
import io.takhin.storage.log.PartitionLog;
import io.takhin.storage.log.ReadResult;
import io.takhin.storage.log.Topic;
import io.takhin.storage.record.RecordBatches;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Drain: how fast one HTTP consumer reads a full topic, against how fast the store itself reads the
 * same data in-process. Three modes, run by {@code bench/http-drain.sh} in this order:
 *
 * <ul>
 *   <li>{@code fill}: produces {@code --records} records of {@code --record-bytes} bytes into an
 *       existing topic, in batches of {@code --batch}, every batch to one partition named in the
 *       request, partitions in turn, from {@code --clients} connections.
 *   <li>{@code drain}: one consumer (a new group, {@code auto_offset_reset} earliest) consumes with
 *       {@code --max-records} and {@code --max-bytes} until it has every record of the topic;
 *       checks that offsets arrive gap-free and in order per partition; prints records/s (and the
 *       wall-clock start, to match a drain with a server's logs or profile) and
 *       appends {@code topic client parser records/s} to {@code --results}; {@code --warmups} and
 *       {@code --passes} repeat it in the same JVM (see {@link #drain}). {@code --fetch
 *       sequential} (the default) asks for the next records once it has read a response; {@code
 *       ahead} asks as soon as a response has arrived, before reading it, as a KafkaConsumer's
 *       fetches run ahead of the records its poll hands out (its client is then {@code raw-ahead});
 *       {@code both} drains both ways in every pass.
 *   <li>{@code raw}: with the server stopped, opens {@code --data-dir}'s store with
 *       {@link LogManager} and reads every record of each topic from offset 0 with
 *       {@link PartitionLog#read} (1 MiB reads) and {@link RecordBatches#forEach}, touching each
 *       value, {@code --passes} times; the best pass is the raw rate, printed with the ratio of the
 *       drain rate in {@code --results} to it.
 * </ul>
 */
public final class DrainLoad {
    private static final Pattern CONSUMER_ID = Pattern.compile("\"consumer_id\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern HIGH_WATER_MARK = Pattern.compile("\"high_water_mark\"\\s*:\\s*(\\d+)");

    /** Sum over the values read by {@code raw}, printed so that the reads are not optimised away. */
    private static long valueChecksum;

    private DrainLoad() {}

    public static void main(String[] args) throws Exception {
        Args options = Args.parse(args);
        switch (options.string("mode", "drain")) {
            case "fill" -> fill(options);
            case "drain" -> drain(options);
            case "raw" -> raw(options);
            default -> throw new IllegalArgumentException("--mode must be fill, drain or raw");
        }
    }

    private static void fill(Args options) throws Exception {
        URI base = BenchClient.loopback(options.string("url", "http://127.0.0.1:8080"));
        String topic = options.string("topic", "drain");
        int partitions = options.integer("partitions", 1);
        int records = options.integer("records", 1_000_000);
        int batch = options.integer("batch", 1000);
        int recordBytes = options.integer("record-bytes", 100);
        int clients = options.integer("clients", 4);
        if (records % (batch * partitions) != 0) {
            throw new IllegalArgumentException("--records must be a multiple of --batch times --partitions");
        }
        byte[][] bodies = new byte[partitions][];
        for (int p = 0; p < partitions; p++) {
            bodies[p] = produceBody(batch, recordBytes, p, new Random(p));
        }
        int requests = records / batch;
        AtomicInteger next = new AtomicInteger();
        String path = "/api/topics/" + topic + "/produce?value.format=string";
        long startNanos = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int c = 0; c < clients; c++) {
            threads.add(Thread.ofPlatform().name("fill-" + c).start(() -> {
                try (BenchClient client = BenchClient.create("raw", base)) {
                    for (int i = next.getAndIncrement(); i < requests; i = next.getAndIncrement()) {
                        client.exchange("POST", path, bodies[i % partitions]).expect(200, "produce");
                    }
                } catch (IOException | RuntimeException e) {
                    failures.add(e);
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("fill failed", failures.getFirst());
        }
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        System.out.printf(
                "fill topic=%s partitions=%d records=%d batch=%d record-bytes=%d clients=%d seconds=%.2f records/s=%.0f%n",
                topic, partitions, records, batch, recordBytes, clients, seconds, records / seconds);
    }

    /** {"records":[{"partition":p,"value":"<recordBytes letters>"}, ...]} */
    static byte[] produceBody(int batch, int recordBytes, int partition, Random random) {
        StringBuilder json = new StringBuilder(batch * (recordBytes + 32)).append("{\"records\":[");
        char[] value = new char[recordBytes];
        for (int i = 0; i < batch; i++) {
            for (int j = 0; j < recordBytes; j++) {
                value[j] = (char) ('a' + random.nextInt(26));
            }
            json.append(i == 0 ? "" : ",")
                    .append("{\"partition\":")
                    .append(partition)
                    .append(",\"value\":\"")
                    .append(value)
                    .append("\"}");
        }
        return json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * {@code --warmups} drains (default 0, printed and marked {@code (warm-up)}, not in {@code
     * --results}), then {@code --passes} measured ones (default 1), all in this JVM ({@link Passes}),
     * each by a new consumer in a new group on a new connection: with warm-ups the client's own code
     * is compiled before it is measured, as {@link NativeKafkaDrain}'s is.
     */
    private static void drain(Args options) throws Exception {
        List<Boolean> modes = switch (options.string("fetch", "sequential")) {
            case "sequential" -> List.of(false);
            case "ahead" -> List.of(true);
            case "both" -> List.of(false, true);
            default -> throw new IllegalArgumentException("--fetch must be sequential, ahead or both");
        };
        Passes.run(options, 0, warmup -> {
            for (boolean ahead : modes) {
                drainOnce(options, warmup, ahead);
            }
        });
    }

    private static void drainOnce(Args options, boolean warmup, boolean ahead) throws Exception {
        URI base = BenchClient.loopback(options.string("url", "http://127.0.0.1:8080"));
        String topic = options.string("topic", "drain");
        int maxRecords = options.integer("max-records", 10_000);
        int maxBytes = options.integer("max-bytes", 2 << 20);
        int recordBytes = options.integer("record-bytes", 100);
        int seconds = options.integer("seconds", 120);
        String parser = options.string("parse", "scan");
        String clientKind = options.string("client", "raw");
        String results = options.string("results", "");
        if (ahead && !clientKind.equals("raw")) {
            throw new IllegalArgumentException("--fetch ahead needs --client raw");
        }
        String kind = ahead ? clientKind + "-ahead" : clientKind;
        long serverPid = options.integer("server-pid", -1);
        int base64Length = (recordBytes + 2) / 3 * 4;

        try (BenchClient client = BenchClient.create(clientKind, base)) {
            String topicJson = client.exchange("GET", "/api/topics/" + topic, new byte[0])
                    .expect(200, "GET topic")
                    .text();
            long[] expected = highWaterMarks(topicJson);
            long total = Arrays.stream(expected).sum();
            String subscribe = "{\"group_id\":\"drain-" + topic + "-" + System.nanoTime() + "\",\"topics\":[\"" + topic
                    + "\"],\"auto_offset_reset\":\"earliest\"}";
            String subscribed = client.exchange("POST", "/api/consumers/subscribe", BenchClient.utf8(subscribe))
                    .expect(200, "subscribe")
                    .text();
            Matcher id = CONSUMER_ID.matcher(subscribed);
            if (!id.find()) {
                throw new IllegalStateException("no consumer_id in " + subscribed);
            }
            String consumePath = "/api/consumers/" + id.group(1) + "/consume";
            byte[] consumeBody = BenchClient.utf8(
                    "{\"max_records\":" + maxRecords + ",\"timeout_ms\":1000,\"max_bytes_total\":" + maxBytes + "}");

            long[] next = new long[expected.length];
            long received = 0;
            long responses = 0;
            long responseBytes = 0;
            long deadlineNanos = System.nanoTime() + seconds * 1_000_000_000L;
            ServerProcess server = serverPid > 0 ? new ServerProcess(serverPid) : null;
            long serverCpuStart = server == null ? 0 : server.cpuNanos();
            long clientCpuStart = processCpuNanos();
            RawHttpClient aheadClient = ahead ? (RawHttpClient) client : null;
            Instant startedAt = Instant.now();
            long startNanos = System.nanoTime();
            if (aheadClient != null) {
                aheadClient.send("POST", consumePath, consumeBody);
            }
            while (received < total) {
                if (System.nanoTime() > deadlineNanos) {
                    throw new IllegalStateException(
                            "drain of " + topic + " did not finish in " + seconds + " s: " + received + " of " + total);
                }
                BenchClient.Response response;
                if (aheadClient != null) {
                    // Ask for the next records before reading these, as KafkaConsumer fetches ahead
                    // of the records its poll() hands out. The last of these requests is one too many;
                    // it is ended below.
                    response = aheadClient.receive().expect(200, "consume");
                    aheadClient.send("POST", consumePath, consumeBody);
                } else {
                    response = client.exchange("POST", consumePath, consumeBody).expect(200, "consume");
                }
                received += ConsumeResponses.read(
                        parser,
                        response.bytes(),
                        response.offset(),
                        response.length(),
                        (partition, offset, bytes, valueStart, valueEnd) -> {
                            if (offset != next[partition]) {
                                throw new IllegalStateException("partition " + partition + ": expected offset "
                                        + next[partition] + ", got " + offset);
                            }
                            if (valueEnd - valueStart != base64Length) {
                                throw new IllegalStateException("offset " + offset + ": value of "
                                        + (valueEnd - valueStart) + " base64 characters, expected " + base64Length);
                            }
                            next[partition] = offset + 1;
                        });
                responses++;
                responseBytes += response.length();
            }
            long elapsedNanos = System.nanoTime() - startNanos;
            long clientCpu = processCpuNanos() - clientCpuStart;
            long serverCpu = server == null ? -1 : server.cpuNanos() - serverCpuStart;
            // Strip only the trailing "/consume" (the path also contains "/consumers/").
            String consumerPath = consumePath.substring(0, consumePath.length() - "/consume".length());
            if (aheadClient != null) {
                // The extra consume waits for records that will not come; a request behind it ends it
                // at once with none (the server's rule for pipelined requests), then is answered.
                aheadClient.send("DELETE", consumerPath, new byte[0]);
                BenchClient.Response extra = aheadClient.receive().expect(200, "the extra consume");
                if (ConsumeResponses.read(parser, extra.bytes(), extra.offset(), extra.length(), (p, o, b, s, e) -> {})
                        != 0) {
                    throw new IllegalStateException("records after the end of the topic: " + extra.text());
                }
                aheadClient.receive();
            } else {
                client.exchange("DELETE", consumerPath, new byte[0]);
            }
            if (!Arrays.equals(next, expected)) {
                throw new IllegalStateException(
                        "ended at " + Arrays.toString(next) + ", expected " + Arrays.toString(expected));
            }
            double elapsed = elapsedNanos / 1e9;
            double rate = received / elapsed;
            System.out.printf(
                    "drain%s topic=%s partitions=%d records=%d client=%s parse=%s max_records=%d max_bytes_total=%d"
                            + " seconds=%.2f records/s=%.0f value-MB/s=%.1f responses=%d records/response=%.0f"
                            + " response-MB/s=%.1f client-cpu=%.0f%% server-cpu=%s started=%s%n",
                    warmup ? " (warm-up)" : "",
                    topic,
                    expected.length,
                    received,
                    kind,
                    parser,
                    maxRecords,
                    maxBytes,
                    elapsed,
                    rate,
                    received * (double) recordBytes / elapsed / 1e6,
                    responses,
                    received / (double) responses,
                    responseBytes / elapsed / 1e6,
                    clientCpu * 100.0 / elapsedNanos,
                    serverCpu < 0 ? "n/a" : String.format("%.0f%%", serverCpu * 100.0 / elapsedNanos),
                    startedAt.truncatedTo(ChronoUnit.MILLIS));
            if (!results.isEmpty() && !warmup) {
                Files.writeString(
                        Path.of(results),
                        String.format("%s %s %s %.0f%n", topic, kind, parser, rate),
                        StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            }
        }
    }

    /** The high water mark of every partition in a GET /api/topics/{topic} body, by partition id. */
    private static long[] highWaterMarks(String topicJson) {
        List<Long> marks = new ArrayList<>();
        Matcher matcher = HIGH_WATER_MARK.matcher(topicJson);
        while (matcher.find()) {
            marks.add(Long.parseLong(matcher.group(1)));
        }
        return marks.stream().mapToLong(Long::longValue).toArray();
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static void raw(Args options) throws IOException {
        Path dataDir = Path.of(options.string("data-dir", "data"));
        String[] topics = options.string("topics", "drain").split(",");
        int passes = options.integer("passes", 5);
        String results = options.string("results", "");
        List<String> drained =
                results.isEmpty() || !Files.exists(Path.of(results)) ? List.of() : Files.readAllLines(Path.of(results));
        try (LogManager logs = LogManager.open(dataDir.resolve("topics"), LogConfig.defaults(), Time.SYSTEM)) {
            for (String name : topics) {
                Topic topic = logs.topic(name)
                        .orElseThrow(() -> new IllegalArgumentException("no topic " + name + " in " + dataDir));
                double best = 0;
                long records = 0;
                double[] rates = new double[passes];
                for (int pass = 0; pass < passes; pass++) {
                    long startNanos = System.nanoTime();
                    records = readAll(topic);
                    rates[pass] = records / ((System.nanoTime() - startNanos) / 1e9);
                    best = Math.max(best, rates[pass]);
                }
                System.out.printf(
                        "raw topic=%s partitions=%d records=%d passes=%d best-records/s=%.0f (all passes: %s) checksum=%d%n",
                        name, topic.partitionCount(), records, passes, best, formatRates(rates), valueChecksum);
                for (String line : drained) {
                    String[] fields = line.trim().split(" ");
                    if (fields.length == 4 && fields[0].equals(name)) {
                        double rate = Double.parseDouble(fields[3]);
                        System.out.printf(
                                "ratio topic=%s client=%s parse=%s http-drain/raw-read=%.3f (%.0f / %.0f records/s)%n",
                                name, fields[1], fields[2], rate / best, rate, best);
                    }
                }
            }
        }
    }

    private static String formatRates(double[] rates) {
        StringBuilder text = new StringBuilder();
        for (double rate : rates) {
            text.append(text.isEmpty() ? "" : ", ").append(String.format("%.0f", rate));
        }
        return text.toString();
    }

    /** Reads every record of every partition from its start, one thread, partitions in turn. */
    private static long readAll(Topic topic) {
        long visited = 0;
        long checksum = 0;
        for (PartitionLog log : topic.partitions()) {
            long next = log.logStartOffset();
            long[] state = new long[3];
            while (next < log.highWatermark()) {
                if (!(log.read(next, 1 << 20) instanceof ReadResult.Records(ByteBuffer batches, long highWatermark))) {
                    throw new IllegalStateException("offset " + next + " of " + log + " is out of range");
                }
                state[0] = next;
                RecordBatches.forEach(batches, next, view -> {
                    if (view.offset() != state[0]) {
                        throw new IllegalStateException("expected offset " + state[0] + ", got " + view.offset());
                    }
                    // Touch the value as an encoder would: its length and its bytes' ends.
                    int length = view.valueLength();
                    ByteBuffer buffer = view.buffer();
                    int position = view.valuePosition();
                    state[2] += length + buffer.get(position) + buffer.get(position + length - 1);
                    state[0] = view.offset() + 1;
                    state[1]++;
                    return true;
                });
                next = state[0];
            }
            visited += state[1];
            checksum += state[2];
        }
        valueChecksum += checksum; // printed, so the JIT cannot drop the reads
        return visited;
    }
}
