package io.takhin.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.takhin.backend.embedded.EmbeddedBackend;
import io.takhin.common.Time;
import io.takhin.storage.log.LogConfig;
import io.takhin.storage.log.LogManager;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kill -9 while producing: every record the server acknowledged must come back after a restart with
 * identical bytes at the identical offset. Seeded; {@code -Dtakhin.test.seed=N} replays a run.
 */
@Tag(TestBackend.EMBEDDED_ONLY)
class CrashRecoveryIT {
    private static final String TOPIC = "crash";
    private static final int PARTITIONS = 3;

    record Acked(int partition, long offset, String key, String value) {}

    @Test
    void sigkillMidStream_everyAcknowledgedRecordSurvivesRestartWithIdenticalBytesAndOffsets(@TempDir Path dataDir)
            throws Exception {
        long seed = Long.getLong("takhin.test.seed", System.nanoTime());
        System.out.println("CrashRecoveryIT seed=" + seed + " (replay with -Dtakhin.test.seed=" + seed + ")");
        Map<String, Acked> acked = new ConcurrentHashMap<>();
        CountDownLatch wellIntoTheStream = new CountDownLatch(150);
        List<Throwable> producerFailures = new CopyOnWriteArrayList<>();

        ServerProcess first = ServerProcess.start(dataDir, "--storage.segment-bytes=65536");
        assertThat(first.api()
                        .post("/api/topics", "{\"name\":\"" + TOPIC + "\",\"partitions\":" + PARTITIONS + "}")
                        .status())
                .isEqualTo(201);
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> producers = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            Random random = new Random(seed + t);
            int producerId = t;
            producers.add(Thread.ofPlatform().name("producer-" + t).start(() -> {
                try {
                    produceUntilFailure(first.api(), random, producerId, stop, acked, wellIntoTheStream);
                } catch (Throwable e) {
                    producerFailures.add(e);
                    stop.set(true);
                }
            }));
        }
        assertThat(wellIntoTheStream.await(120, TimeUnit.SECONDS))
                .as("150 produce requests acknowledged")
                .isTrue();
        first.kill();
        stop.set(true);
        for (Thread producer : producers) {
            producer.join(30_000);
        }
        assertThat(producerFailures).as("failures before the crash").isEmpty();
        assertThat(acked).isNotEmpty();

        Map<Integer, Long> highestAcked = new HashMap<>();
        for (Acked record : acked.values()) {
            highestAcked.merge(record.partition(), record.offset(), Math::max);
        }
        try (ServerProcess second = ServerProcess.start(dataDir, "--storage.segment-bytes=65536")) {
            var partitions = second.api().get("/api/topics/" + TOPIC).json().path("partitions");
            for (var partition : partitions) {
                long highestAckedOffset =
                        highestAcked.getOrDefault(partition.path("id").asInt(), -1L);
                assertThat(partition.path("high_water_mark").asLong())
                        .as(
                                "high water mark of partition %d after restart",
                                partition.path("id").asInt())
                        .isGreaterThan(highestAckedOffset);
            }
            assertThat(second.api()
                            .post("/api/topics/" + TOPIC + "/produce", "{\"records\":[{\"value\":\"after\"}]}")
                            .status())
                    .as("appends continue after recovery")
                    .isEqualTo(200);
        }

        try (LogManager logs =
                LogManager.open(EmbeddedBackend.topicsDirectory(dataDir), LogConfig.defaults(), Time.SYSTEM)) {
            Map<String, StoredRecord> stored = new HashMap<>();
            for (int p = 0; p < PARTITIONS; p++) {
                for (StoredRecord record :
                        StoredRecord.readAll(logs.topic(TOPIC).orElseThrow().partition(p))) {
                    stored.put(p + "/" + record.offset(), record);
                }
            }
            for (Acked expected : acked.values()) {
                StoredRecord actual = stored.get(expected.partition() + "/" + expected.offset());
                assertThat(actual).as("acknowledged record %s", expected).isNotNull();
                assertThat(actual.keyText()).isEqualTo(expected.key());
                assertThat(actual.valueText()).isEqualTo(expected.value());
            }
        }
        assertThat(Files.exists(dataDir)).isTrue();
    }

    /** Produces batches until the server dies; records each acknowledged record. */
    private static void produceUntilFailure(
            HttpApi api,
            Random random,
            int producerId,
            AtomicBoolean stop,
            Map<String, Acked> acked,
            CountDownLatch acknowledgedRequests) {
        int sequence = 0;
        while (!stop.get()) {
            int count = 1 + random.nextInt(40);
            List<Map<String, Object>> records = new ArrayList<>();
            List<String[]> sent = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String key = "p" + producerId + "-k" + random.nextInt(100);
                byte[] noise = new byte[random.nextInt(300)];
                random.nextBytes(noise);
                String value = "p" + producerId + "-" + (sequence++) + "-"
                        + java.util.Base64.getEncoder().encodeToString(noise);
                records.add(Map.of("key", key, "value", value));
                sent.add(new String[] {key, value});
            }
            HttpApi.Response response;
            try {
                response = api.post(
                        "/api/topics/" + TOPIC + "/produce?key.format=string&value.format=string",
                        HttpApi.json(Map.of("records", records)).getBytes(StandardCharsets.UTF_8));
            } catch (RuntimeException serverGone) {
                return;
            }
            if (response.status() != 200) {
                throw new AssertionError("produce failed before the crash: " + response.body());
            }
            var offsets = response.json().path("offsets");
            for (int i = 0; i < count; i++) {
                Acked record = new Acked(
                        offsets.get(i).path("partition").asInt(),
                        offsets.get(i).path("offset").asLong(),
                        sent.get(i)[0],
                        sent.get(i)[1]);
                Acked previous = acked.put(record.partition() + "/" + record.offset(), record);
                assertThat(previous).as("offset acknowledged twice").isNull();
            }
            acknowledgedRequests.countDown();
        }
    }
}
