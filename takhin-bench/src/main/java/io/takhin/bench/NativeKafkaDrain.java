package io.takhin.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The native baseline of the Kafka-backend drain ({@code bench/kafka-drain.sh}): a plain
 * kafka-clients producer and consumer against the broker Takhin-over-Kafka reads from. Two modes:
 *
 * <ul>
 *   <li>{@code fill}: creates {@code --topic} with {@code --partitions} partitions (replication factor
 *       the cluster's default) through {@link Admin}, then one {@link KafkaProducer} ({@code acks=all},
 *       idempotent, {@code linger.ms} 5, {@code batch.size} 256 KiB, no compression) writes
 *       {@code --records} records without a key, each value {@code --record-bytes} random letters,
 *       1000 records to one partition, partitions in turn (as {@code DrainLoad --mode fill} does over
 *       HTTP); checks that the partitions' end offsets add up to {@code --records}.
 *   <li>{@code drain}: one {@link KafkaConsumer} in a new group ({@code auto.offset.reset} earliest,
 *       no auto-commit, {@code max.poll.records} {@code --max-poll-records}, the classic group protocol
 *       and {@code fetch.max.bytes} 16 MiB, the settings Takhin's Kafka backend gives its consumers)
 *       subscribes and polls until it has every record up to the end offsets it read first; checks
 *       that offsets arrive gap-free and in order per partition and that each value has
 *       {@code --record-bytes} bytes; prints records/s. The clock starts when the group assigns the
 *       partitions, as {@code DrainLoad}'s starts once its subscribe (which waits for the assignment)
 *       has returned. {@code --warmups} drains (default 1, each line marked {@code (warm-up)}) run
 *       first, then {@code --passes} measured ones (default 1), all in this JVM, each by a new
 *       consumer in a new group, so the client's code is compiled by the measured passes as it
 *       would be in a long-running consumer ({@link Passes}: {@code --pace stdin} waits for a line
 *       before each).
 * </ul>
 *
 * <p>Both give up after {@code --seconds} (default 120). {@code --broker-pid} adds the broker's CPU
 * to the drain's line; {@code --results} appends {@code topic native records/s} to a file.
 */
public final class NativeKafkaDrain {
    private static final int FILL_RUN = 1000;

    /** Sum over the values' first and last bytes, printed so that the JIT cannot drop the reads. */
    private static long valueChecksum;

    private NativeKafkaDrain() {}

    public static void main(String[] args) throws Exception {
        // No SLF4J provider is on the class path (kafka-clients' logging goes nowhere): say so, so that
        // SLF4J does not print its three-line warning.
        System.setProperty("slf4j.provider", "org.slf4j.helpers.NOP_FallbackServiceProvider");
        System.setProperty("slf4j.internal.verbosity", "WARN");
        Args options = Args.parse(args);
        switch (options.string("mode", "drain")) {
            case "fill" -> fill(options);
            case "drain" -> drain(options);
            default -> throw new IllegalArgumentException("--mode must be fill or drain");
        }
    }

    private static void fill(Args options) throws Exception {
        String bootstrap = options.string("bootstrap", "127.0.0.1:9092");
        String topic = options.string("topic", "kdrain");
        int partitions = options.integer("partitions", 1);
        int records = options.integer("records", 1_000_000);
        int recordBytes = options.integer("record-bytes", 100);
        long deadlineNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(options.integer("seconds", 120));

        try (Admin admin =
                Admin.create(Map.<String, Object>of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, Optional.of(partitions), Optional.empty())))
                    .all()
                    .get(30, TimeUnit.SECONDS);

            // Every value distinct within a run of FILL_RUN, as DrainLoad's fill bodies are.
            Random random = new Random(0);
            byte[][] values = new byte[FILL_RUN][recordBytes];
            for (byte[] value : values) {
                for (int j = 0; j < recordBytes; j++) {
                    value[j] = (byte) ('a' + random.nextInt(26));
                }
            }
            Properties config = new Properties();
            config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            config.put(ProducerConfig.ACKS_CONFIG, "all");
            config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            config.put(ProducerConfig.LINGER_MS_CONFIG, "5");
            config.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
            config.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Long.toString(64L * 1024 * 1024));
            config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
            config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "30000");
            config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            AtomicReference<Exception> failure = new AtomicReference<>();
            AtomicLong acked = new AtomicLong();
            long startNanos = System.nanoTime();
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
                for (int i = 0; i < records && failure.get() == null; i++) {
                    if ((i & 0xFFFF) == 0 && System.nanoTime() > deadlineNanos) {
                        throw new IllegalStateException(
                                "fill of " + topic + " did not finish in time: " + i + " of " + records + " sent");
                    }
                    int partition = (i / FILL_RUN) % partitions;
                    producer.send(
                            new ProducerRecord<>(topic, partition, null, values[i % FILL_RUN]), (metadata, error) -> {
                                if (error != null) {
                                    failure.compareAndSet(null, error);
                                } else {
                                    acked.incrementAndGet();
                                }
                            });
                }
                producer.flush();
            }
            double seconds = (System.nanoTime() - startNanos) / 1e9;
            if (failure.get() != null) {
                throw new IllegalStateException("fill of " + topic + " failed", failure.get());
            }
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            long end = 0;
            for (ListOffsetsResult.ListOffsetsResultInfo info :
                    admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).values()) {
                end += info.offset();
            }
            if (acked.get() != records || end != records) {
                throw new IllegalStateException("fill of " + topic + ": " + acked.get() + " records acknowledged and "
                        + end + " in the log, expected " + records);
            }
            System.out.printf(
                    "native-fill topic=%s partitions=%d records=%d record-bytes=%d acks=all linger.ms=5"
                            + " batch.size=262144 seconds=%.2f records/s=%.0f%n",
                    topic, partitions, records, recordBytes, seconds, records / seconds);
        }
    }

    private static void drain(Args options) throws Exception {
        Passes.run(options, 1, warmup -> drainOnce(options, warmup));
    }

    /** One drain by a new consumer in a new group; a warm-up's line is marked and not in the results. */
    private static void drainOnce(Args options, boolean warmup) throws Exception {
        String bootstrap = options.string("bootstrap", "127.0.0.1:9092");
        String topic = options.string("topic", "kdrain");
        int maxPollRecords = options.integer("max-poll-records", 10_000);
        int recordBytes = options.integer("record-bytes", 100);
        int seconds = options.integer("seconds", 120);
        String results = options.string("results", "");
        long brokerPid = options.integer("broker-pid", -1);

        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "native-drain-" + topic + "-" + System.nanoTime());
        config.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(maxPollRecords));
        config.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Integer.toString(16 * 1024 * 1024));
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());

        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
            partitions.sort((a, b) -> Integer.compare(a.partition(), b.partition()));
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            Map<TopicPartition, Long> starts = consumer.beginningOffsets(partitions, Duration.ofSeconds(30));
            long[] expected = new long[partitions.size()];
            long[] next = new long[partitions.size()];
            long total = 0;
            for (TopicPartition partition : partitions) {
                expected[partition.partition()] = ends.get(partition);
                next[partition.partition()] = starts.get(partition);
                total += ends.get(partition) - starts.get(partition);
            }

            ServerProcess broker = brokerPid > 0 ? new ServerProcess(brokerPid) : null;
            // When the group assigned the partitions: {nanoTime, client CPU, broker CPU}.
            long[] assignedAt = {0, 0, 0};
            long subscribeNanos = System.nanoTime();
            consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> revoked) {}

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
                    if (assignedAt[0] == 0 && !assigned.isEmpty()) {
                        assignedAt[0] = System.nanoTime();
                        assignedAt[1] = processCpuNanos();
                        assignedAt[2] = broker == null ? 0 : broker.cpuNanos();
                    }
                }
            });
            long deadlineNanos = subscribeNanos + TimeUnit.SECONDS.toNanos(seconds);
            long received = 0;
            long polls = 0;
            long checksum = 0;
            while (received < total) {
                if (System.nanoTime() > deadlineNanos) {
                    throw new IllegalStateException(
                            "drain of " + topic + " did not finish in " + seconds + " s: " + received + " of " + total);
                }
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(500));
                if (records.isEmpty()) {
                    continue;
                }
                polls++;
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    int partition = record.partition();
                    if (record.offset() != next[partition]) {
                        throw new IllegalStateException("partition " + partition + ": expected offset "
                                + next[partition] + ", got " + record.offset());
                    }
                    byte[] value = record.value();
                    if (value == null || value.length != recordBytes) {
                        throw new IllegalStateException("offset " + record.offset() + " of partition " + partition
                                + ": value of " + (value == null ? "null" : value.length + " bytes") + ", expected "
                                + recordBytes);
                    }
                    checksum += value[0] + value[value.length - 1];
                    next[partition] = record.offset() + 1;
                    received++;
                }
            }
            long endNanos = System.nanoTime();
            long clientCpu = processCpuNanos() - assignedAt[1];
            long brokerCpu = broker == null ? -1 : broker.cpuNanos() - assignedAt[2];
            if (assignedAt[0] == 0) {
                throw new IllegalStateException("drained " + topic + " without an assignment");
            }
            long startNanos = assignedAt[0];
            long elapsedNanos = endNanos - startNanos;
            valueChecksum += checksum;
            if (!Arrays.equals(next, expected)) {
                throw new IllegalStateException(
                        "ended at " + Arrays.toString(next) + ", expected " + Arrays.toString(expected));
            }
            double elapsed = elapsedNanos / 1e9;
            double rate = received / elapsed;
            System.out.printf(
                    "native-drain%s topic=%s partitions=%d records=%d max.poll.records=%d seconds=%.2f records/s=%.0f"
                            + " value-MB/s=%.1f polls=%d records/poll=%.0f join-ms=%.0f client-cpu=%.0f%%"
                            + " broker-cpu=%s checksum=%d%n",
                    warmup ? " (warm-up)" : "",
                    topic,
                    partitions.size(),
                    received,
                    maxPollRecords,
                    elapsed,
                    rate,
                    received * (double) recordBytes / elapsed / 1e6,
                    polls,
                    received / (double) Math.max(polls, 1),
                    (startNanos - subscribeNanos) / 1e6,
                    clientCpu * 100.0 / elapsedNanos,
                    brokerCpu < 0 ? "n/a" : String.format("%.0f%%", brokerCpu * 100.0 / elapsedNanos),
                    valueChecksum);
            if (!warmup && !results.isEmpty()) {
                Files.writeString(
                        Path.of(results),
                        String.format("%s native %.0f%n", topic, rate),
                        StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            }
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
