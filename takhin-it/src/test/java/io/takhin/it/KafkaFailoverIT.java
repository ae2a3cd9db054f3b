package io.takhin.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.takhin.it.ConsumerClient.Consumer;
import io.takhin.it.ConsumerClient.Rec;
import io.takhin.kafka.fixture.KafkaCluster;
import io.takhin.server.TakhinServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A group of HTTP consumers drains a topic of a 3-node Kafka cluster (replication factor 3, min ISR
 * 2) through the Kafka backend; partway through, the node that coordinates the group is killed with
 * SIGKILL, and more records are produced while the cluster runs on the two nodes left.
 *
 * <p>The consumers are careful at-least-once clients: consume, process (record what was seen), then
 * commit offset + 1 of every partition of the batch. While the cluster recovers the API may answer
 * 503 backend_unavailable or 409 (partition_not_owned on a commit during a rebalance,
 * poll_in_progress): consumes are simply asked again after a short pause, and a commit that failed
 * is not retried as such (the next batch's commit covers its partitions); a member whose commit failed
 * commits its positions (empty body) once it runs out of records, because a partition that comes
 * straight back to it after a rebalance keeps its position, so nobody would deliver those records
 * again and commit them.
 *
 * <p>What the test proves: consumption continues (every produced record, before and after the kill,
 * is processed at least once, within a bound), nothing committed is lost (every commit answered 200
 * is seen, or passed, by every read of the committed offsets that starts after it, through Kafka's
 * Admin client and through {@code GET /api/consumer-groups/{group}}; the reads never go backwards;
 * at the end the committed offsets are the partitions' end offsets), and a member never receives a
 * record twice or skips one while it keeps its partitions in one generation.
 *
 * <p>One allowance, Kafka's own: right after the coordinator moves, the new one may answer reads
 * from its not yet caught-up high watermark, older than commits the dead one acknowledged (see
 * {@link FailoverWindow}). Those reads are reported; the first read that shows every commit answered
 * before the kill must come, and every read from it on is held to both rules.
 *
 * <p>Runs only in the Kafka execution of the suite, with its own 3 brokers (not the shared one):
 * 35 to 55 s on 2 cores, 10 to 20 s of it starting the brokers.
 */
@Tag(TestBackend.KAFKA_ONLY)
class KafkaFailoverIT {
    private static final String TOPIC = "failover";
    private static final String GROUP = "failover-group";
    private static final int PARTITIONS = 6;
    private static final int NODES = 3;
    private static final int CONSUMERS = 3;
    private static final int RECORDS_BEFORE_KILL = 30_000;
    private static final int PRODUCE_BATCH = 1_000;
    private static final int RECORDS_AFTER_KILL = 6_000;
    private static final int PRODUCE_BATCH_AFTER_KILL = 100;
    /** Between the produce requests after the kill, so they span the ~4 s until the node is fenced. */
    private static final long PRODUCE_PAUSE_AFTER_KILL_MS = 100;
    /** The kill comes once a third of the records were processed. */
    private static final int KILL_AFTER_PROCESSED = RECORDS_BEFORE_KILL / 3;

    private static final String CONSUME_BODY = "{\"max_records\":500,\"timeout_ms\":1000}";
    /**
     * "Processing" takes time: a member processes at most this many records per second (it sleeps
     * after a batch until its total allows the next one, at least {@link #MIN_PROCESSING_MS}). About
     * 2,400 records/s for the group, so most of the drain happens after the kill, while the cluster
     * fences the node and elects new leaders and a new group coordinator, whatever the backend's
     * own speed.
     */
    private static final long RECORDS_PER_SECOND_PER_MEMBER = 800;

    private static final long MIN_PROCESSING_MS = 5;

    private static final long RETRY_PAUSE_MS = 200;
    private static final long SAMPLE_EVERY_MS = 250;
    private static final Duration UNTIL_KILL_LIMIT = Duration.ofSeconds(40);
    /** From the kill until every record is processed and every partition committed to its end. */
    private static final Duration RECOVERY_LIMIT = Duration.ofSeconds(60);

    private static final Duration ADMIN_CALL = Duration.ofSeconds(5);

    /** One record processed by a member: its consume number {@code consume} (from 1) delivered it. */
    record Delivery(String consumerId, int consume, int partition, long offset, String value, long nanos)
            implements StableWindows.Received {}

    /** What a member saw of its assignment: index 0 is the subscribe response, i the GET after consume i. */
    record Observation(int generation, Set<Integer> partitions) implements StableWindows.Seen {}

    /** A commit answered 200: the request was sent at {@code sentNanos}, its answer read at {@code ackNanos}. */
    record Ack(String consumerId, int partition, long offset, long sentNanos, long ackNanos) {}

    /** One read of the group's committed offsets, begun at {@code sentNanos}, answered at {@code receivedNanos}. */
    record Sample(String source, long sentNanos, long receivedNanos, Map<Integer, Long> committed) {}

    /** Everything the clients saw, shared by all threads. */
    static final class Journal {
        volatile long originNanos = System.nanoTime();
        volatile long killNanos;

        final Map<String, String> produced = new ConcurrentHashMap<>();
        final Set<String> producedAfterKill = ConcurrentHashMap.newKeySet();
        final ConcurrentLinkedQueue<Delivery> processed = new ConcurrentLinkedQueue<>();
        final Set<String> processedKeys = ConcurrentHashMap.newKeySet();
        final Map<String, Map<Integer, Observation>> observations = new ConcurrentHashMap<>();
        final ConcurrentLinkedQueue<Ack> acks = new ConcurrentLinkedQueue<>();
        final List<Sample> samples = new CopyOnWriteArrayList<>();

        /** Non-200 answers and failed reads, by "what status code". */
        final Map<String, AtomicInteger> refusals = new ConcurrentHashMap<>();
        /** The first of them in detail, with their time relative to the kill. */
        final ConcurrentLinkedQueue<String> events = new ConcurrentLinkedQueue<>();

        final AtomicInteger eventCount = new AtomicInteger();
        final AtomicInteger produceRetries = new AtomicInteger();
        final AtomicInteger positionCommits = new AtomicInteger();
        final AtomicInteger resubscribes = new AtomicInteger();
        final AtomicInteger windowChecks = new AtomicInteger();
        final AtomicLong firstAckAfterKillNanos = new AtomicLong();
        final List<Throwable> failures = new CopyOnWriteArrayList<>();
        /** Per kind of request: how long each one took, in nanoseconds. */
        final Map<String, ConcurrentLinkedQueue<Long>> latencies = new ConcurrentHashMap<>();

        final AtomicLong nonEmptyConsumes = new AtomicLong();

        void timed(String what, long sentNanos) {
            latencies.computeIfAbsent(what, k -> new ConcurrentLinkedQueue<>()).add(System.nanoTime() - sentNanos);
        }

        /** "commit: 120 (p50 12 ms, p90 40 ms, max 4300 ms); ...". */
        String latencySummary() {
            StringBuilder summary = new StringBuilder();
            new TreeMap<>(latencies).forEach((what, queue) -> {
                List<Long> sorted = new ArrayList<>(queue);
                sorted.sort(Long::compare);
                if (!sorted.isEmpty()) {
                    summary.append(String.format(
                            "%s: %d (p50 %d ms, p90 %d ms, max %d ms); ",
                            what,
                            sorted.size(),
                            TimeUnit.NANOSECONDS.toMillis(sorted.get(sorted.size() / 2)),
                            TimeUnit.NANOSECONDS.toMillis(sorted.get(sorted.size() * 9 / 10)),
                            TimeUnit.NANOSECONDS.toMillis(sorted.getLast())));
                }
            });
            return summary.toString();
        }

        static String key(int partition, long offset) {
            return partition + "@" + offset;
        }

        long sinceKillMs(long nanos) {
            long reference = killNanos != 0 ? killNanos : originNanos;
            return TimeUnit.NANOSECONDS.toMillis(nanos - reference);
        }

        /** "start+1234ms" before the kill, "kill-56ms" or "kill+789ms" after it. */
        String clock(long nanos) {
            long ms = sinceKillMs(nanos);
            return (killNanos != 0 ? "kill" : "start") + (ms >= 0 ? "+" : "") + ms + "ms";
        }

        void refused(String who, String what, HttpApi.Response response) {
            String code = codeOf(response);
            refusals.computeIfAbsent(what + " " + response.status() + " " + code, k -> new AtomicInteger())
                    .incrementAndGet();
            event(who + " " + what + " -> " + response.status() + " " + code + ": " + abbreviate(response.body()));
        }

        void failedRead(String what, Exception e) {
            refusals.computeIfAbsent(what + " " + e.getClass().getSimpleName(), k -> new AtomicInteger())
                    .incrementAndGet();
            event(what + " failed: " + abbreviate(String.valueOf(e)));
        }

        void event(String line) {
            if (eventCount.incrementAndGet() <= 80) {
                events.add(clock(System.nanoTime()) + " " + line);
            }
        }

        void observe(String consumerId, int index, JsonNode assignment) {
            observations
                    .computeIfAbsent(consumerId, id -> new ConcurrentHashMap<>())
                    .put(
                            index,
                            new Observation(
                                    assignment.path("generation_id").asInt(),
                                    ConsumerClient.partitionsOf(assignment, TOPIC)));
        }
    }

    @Test
    void brokerKilledWhileAGroupDrains_consumptionContinuesAndNoCommittedOffsetIsLost(@TempDir Path tmp)
            throws Exception {
        long testStart = System.nanoTime();
        Journal journal = new Journal();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> consumers = new ArrayList<>();
        @Nullable Thread sampler = null;
        @Nullable Thread lateProducer = null;
        @Nullable KafkaCluster cluster = null;
        @Nullable TakhinServer server = null;
        @Nullable Admin admin = null;
        boolean passed = false;
        try {
            long clusterStart = System.nanoTime();
            cluster = KafkaCluster.start(NODES, tmp.resolve("kafka"));
            System.out.printf(
                    "KafkaFailoverIT: %d Kafka nodes up at %s in %d ms%n",
                    NODES, cluster.bootstrapServers(), millisSince(clusterStart));
            server = TakhinServer.start(List.of(
                    "--api-addr=127.0.0.1:0",
                    "--data-dir=" + tmp.resolve("takhin"),
                    "--backend=kafka",
                    "--kafka.bootstrap.servers=" + cluster.bootstrapServers()));
            String baseUrl = "http://127.0.0.1:" + server.port();
            admin = Admin.create(Map.of(
                    AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    cluster.bootstrapServers(),
                    AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                    3000,
                    AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                    (int) ADMIN_CALL.toMillis(),
                    AdminClientConfig.RETRY_BACKOFF_MS_CONFIG,
                    100L,
                    AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG,
                    500L));

            ConsumerClient client = new ConsumerClient(new HttpApi(baseUrl));
            client.createTopic(TOPIC, PARTITIONS);
            TopicDescription topic = admin.describeTopics(List.of(TOPIC))
                    .allTopicNames()
                    .get(10, TimeUnit.SECONDS)
                    .get(TOPIC);
            for (TopicPartitionInfo partition : topic.partitions()) {
                assertThat(partition.replicas())
                        .as("replicas of partition %d", partition.partition())
                        .hasSize(NODES);
            }
            produceBeforeKill(client, journal);

            journal.originNanos = System.nanoTime();
            Admin sampleAdmin = admin;
            sampler =
                    start("failover-sampler", journal, () -> sample(sampleAdmin, new HttpApi(baseUrl), journal, stop));
            for (int m = 0; m < CONSUMERS; m++) {
                consumers.add(start(
                        "failover-member-" + m,
                        journal,
                        () -> member(new ConsumerClient(new HttpApi(baseUrl)), journal, stop)));
            }

            awaitCondition(
                    "a third of the records processed, " + KILL_AFTER_PROCESSED,
                    UNTIL_KILL_LIMIT,
                    journal,
                    () -> journal.processedKeys.size() >= KILL_AFTER_PROCESSED);
            int victim = killTheCoordinator(cluster, admin, journal);

            lateProducer = start(
                    "failover-late-producer",
                    journal,
                    () -> produceAfterKill(new ConsumerClient(new HttpApi(baseUrl)), journal));

            Admin checkAdmin = admin;
            Thread producer = lateProducer;
            long[] committedAt = new long[1];
            awaitCondition(
                    "every record processed and every partition committed up to its end after killing node " + victim,
                    RECOVERY_LIMIT,
                    journal,
                    () -> {
                        if (producer.isAlive() || !missing(journal).isEmpty()) {
                            return false;
                        }
                        boolean done = committedToTheEnd(checkAdmin, journal);
                        if (done) {
                            committedAt[0] = System.nanoTime();
                        }
                        return done;
                    });
            long recoveredMs = journal.sinceKillMs(committedAt[0]);

            stop.set(true);
            joinAll(consumers, sampler, lateProducer, true);
            assertThat(journal.failures).as("client threads failed").isEmpty();

            // Read through the API too: committed offsets equal the high watermarks of every partition.
            Map<Integer, Long> ends = client.highWatermarks(TOPIC);
            Checked checked = check(journal);
            report(journal, checked.window(), ends, victim, recoveredMs, testStart);
            HttpApi.Response group = client.api().get("/api/consumer-groups/" + GROUP);
            assertThat(group.status()).as(group.body()).isEqualTo(200);
            assertThat(committedOf(group.json()))
                    .as("committed offsets (GET group) vs the ends")
                    .isEqualTo(ends);
            assertThat(committedViaAdmin(admin)).as("committed offsets (Admin)").isEqualTo(ends);
            assertThat(checked.violations()).as("violations").isEmpty();
            passed = true;
        } finally {
            stop.set(true);
            try {
                joinAll(consumers, sampler, lateProducer, false);
            } finally {
                if (server != null) {
                    server.close();
                }
                if (admin != null) {
                    admin.close(Duration.ofSeconds(2));
                }
                if (cluster != null) {
                    if (!passed) {
                        keepBrokerLogs(cluster, journal);
                    }
                    cluster.close();
                }
            }
        }
    }

    // ---- producing -------------------------------------------------------------------------------

    /** Numbered records over all partitions, a thousand per request; every request answered 200. */
    private static void produceBeforeKill(ConsumerClient client, Journal journal) {
        long start = System.nanoTime();
        for (int first = 0; first < RECORDS_BEFORE_KILL; first += PRODUCE_BATCH) {
            List<Map<String, Object>> batch = batch("r-", first, PRODUCE_BATCH);
            HttpApi.Response response = produce(client, batch);
            assertThat(response.status()).as("produce: %s", response.body()).isEqualTo(200);
            remember(journal, batch, response, false);
        }
        System.out.printf(
                "KafkaFailoverIT: produced %d records in %d ms%n", journal.produced.size(), millisSince(start));
    }

    /**
     * After the kill, a hundred records per request, paced: the first ones go to leaders on the dead
     * node until it is fenced. Only 503 backend_unavailable is allowed, and the request is sent again
     * (Kafka may have kept part of a failed request: those records are extra, not missing).
     */
    private static void produceAfterKill(ConsumerClient client, Journal journal) throws InterruptedException {
        long deadline = System.nanoTime() + RECOVERY_LIMIT.toNanos();
        for (int first = 0; first < RECORDS_AFTER_KILL; ) {
            List<Map<String, Object>> batch = batch("late-", first, PRODUCE_BATCH_AFTER_KILL);
            HttpApi.Response response = produce(client, batch);
            if (response.status() == 200) {
                remember(journal, batch, response, true);
                first += PRODUCE_BATCH_AFTER_KILL;
                Thread.sleep(PRODUCE_PAUSE_AFTER_KILL_MS);
                continue;
            }
            journal.refused("producer", "produce", response);
            assertThat(response.status())
                    .as("produce after the kill: %s", response.body())
                    .isEqualTo(503);
            assertThat(System.nanoTime())
                    .as("produce still refused %s after the kill: %s", RECOVERY_LIMIT, response.body())
                    .isLessThan(deadline);
            journal.produceRetries.incrementAndGet();
            Thread.sleep(RETRY_PAUSE_MS);
        }
    }

    private static List<Map<String, Object>> batch(String prefix, int first, int count) {
        List<Map<String, Object>> records = new ArrayList<>();
        for (int n = first; n < first + count; n++) {
            records.add(Map.of("value", prefix + n, "partition", n % PARTITIONS));
        }
        return records;
    }

    private static HttpApi.Response produce(ConsumerClient client, List<Map<String, Object>> records) {
        return client.api()
                .post(
                        "/api/topics/" + TOPIC + "/produce?value.format=string",
                        HttpApi.json(Map.of("records", records)));
    }

    private static void remember(
            Journal journal, List<Map<String, Object>> batch, HttpApi.Response response, boolean afterKill) {
        JsonNode offsets = response.json().path("offsets");
        assertThat(offsets.size()).as("offsets in %s", response.body()).isEqualTo(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            JsonNode offset = offsets.get(i);
            int partition = offset.path("partition").asInt();
            assertThat(partition).isEqualTo(batch.get(i).get("partition"));
            String key = Journal.key(partition, offset.path("offset").asLong());
            String previous = journal.produced.put(key, (String) batch.get(i).get("value"));
            assertThat(previous).as("two produce answers name %s", key).isNull();
            if (afterKill) {
                journal.producedAfterKill.add(key);
            }
        }
    }

    // ---- the kill --------------------------------------------------------------------------------

    /** Kills the node that coordinates the group (the harshest choice); returns its id. */
    private static int killTheCoordinator(KafkaCluster cluster, Admin admin, Journal journal) throws Exception {
        Node coordinator = admin.describeConsumerGroups(List.of(GROUP))
                .describedGroups()
                .get(GROUP)
                .get(ADMIN_CALL.toMillis(), TimeUnit.MILLISECONDS)
                .coordinator();
        Map<Integer, Integer> leaders = new TreeMap<>();
        for (TopicPartitionInfo partition : admin.describeTopics(List.of(TOPIC))
                .allTopicNames()
                .get(ADMIN_CALL.toMillis(), TimeUnit.MILLISECONDS)
                .get(TOPIC)
                .partitions()) {
            leaders.put(
                    partition.partition(),
                    partition.leader() == null ? -1 : partition.leader().id());
        }
        int controller = admin.describeMetadataQuorum()
                .quorumInfo()
                .get(ADMIN_CALL.toMillis(), TimeUnit.MILLISECONDS)
                .leaderId();
        int victim = coordinator.id();
        cluster.kill(victim);
        journal.killNanos = System.nanoTime();
        System.out.printf(
                "KafkaFailoverIT: killed node %d (group coordinator%s) after %d records processed, %d ms after the"
                        + " members started; partition leaders were %s%n",
                victim,
                victim == controller ? " and active controller" : ", active controller was node " + controller,
                journal.processedKeys.size(),
                TimeUnit.NANOSECONDS.toMillis(journal.killNanos - journal.originNanos),
                leaders);
        journal.event("killed node " + victim);
        return victim;
    }

    // ---- the members -----------------------------------------------------------------------------

    /** Subscribe, then consume, observe, process, commit until told to stop; then close. */
    private static void member(ConsumerClient client, Journal journal, AtomicBoolean stop) throws InterruptedException {
        Consumer consumer = subscribe(client, journal, stop);
        String name = Thread.currentThread().getName();
        boolean commitPositionsWhenIdle = false;
        int index = 0;
        long pace = System.nanoTime();
        long processedByThisMember = 0;
        try {
            while (!stop.get()) {
                long consumeSent = System.nanoTime();
                HttpApi.Response response = consumer.consumeRaw(CONSUME_BODY);
                journal.timed("consume", consumeSent);
                if (response.status() == 404) {
                    // The consumer is gone: a real client subscribes again (counted and reported).
                    journal.refused(name, "consume", response);
                    journal.resubscribes.incrementAndGet();
                    consumer = subscribe(client, journal, stop);
                    index = 0;
                    commitPositionsWhenIdle = false;
                    continue;
                }
                if (response.status() != 200) {
                    journal.refused(name, "consume", response);
                    Thread.sleep(RETRY_PAUSE_MS);
                    continue;
                }
                index++;
                List<Rec> records = Rec.all(response.json());
                long assignmentSent = System.nanoTime();
                HttpApi.Response assignment = consumer.assignmentRaw();
                journal.timed("assignment", assignmentSent);
                if (assignment.status() == 200) {
                    journal.observe(consumer.id(), index, assignment.json());
                } else {
                    journal.refused(name, "assignment", assignment);
                }
                if (records.isEmpty()) {
                    if (commitPositionsWhenIdle) {
                        long commitSent = System.nanoTime();
                        HttpApi.Response commit = consumer.commitRaw("");
                        journal.timed("commit positions", commitSent);
                        if (commit.status() == 200) {
                            journal.positionCommits.incrementAndGet();
                            commitPositionsWhenIdle = false;
                        } else {
                            journal.refused(name, "commit positions", commit);
                        }
                    }
                    continue;
                }
                journal.nonEmptyConsumes.incrementAndGet();
                Map<Integer, Long> next = new TreeMap<>();
                for (Rec record : records) {
                    assertThat(record.topic()).isEqualTo(TOPIC);
                    journal.processed.add(new Delivery(
                            consumer.id(),
                            index,
                            record.partition(),
                            record.offset(),
                            record.valueText(),
                            System.nanoTime()));
                    journal.processedKeys.add(Journal.key(record.partition(), record.offset()));
                    next.merge(record.partition(), record.offset() + 1, Math::max);
                }
                processedByThisMember += records.size();
                long due = pace + processedByThisMember * 1_000_000_000L / RECORDS_PER_SECOND_PER_MEMBER;
                Thread.sleep(Math.max(MIN_PROCESSING_MS, TimeUnit.NANOSECONDS.toMillis(due - System.nanoTime())));
                long sent = System.nanoTime();
                HttpApi.Response commit = consumer.commitRaw(ConsumerClient.commitBody(TOPIC, next));
                long answered = System.nanoTime();
                journal.timed("commit", sent);
                if (commit.status() == 200) {
                    for (Map.Entry<Integer, Long> entry : next.entrySet()) {
                        journal.acks.add(new Ack(consumer.id(), entry.getKey(), entry.getValue(), sent, answered));
                    }
                    if (journal.killNanos != 0 && sent > journal.killNanos) {
                        journal.firstAckAfterKillNanos.compareAndSet(0, answered);
                    }
                } else {
                    journal.refused(name, "commit", commit);
                    commitPositionsWhenIdle = true;
                }
            }
        } finally {
            HttpApi.Response closed = consumer.close();
            if (closed.status() != 200) {
                journal.refused(name, "close", closed);
            }
        }
    }

    /** Subscribes (earliest); 503 is asked again after a pause, anything else but 200 fails. */
    private static Consumer subscribe(ConsumerClient client, Journal journal, AtomicBoolean stop)
            throws InterruptedException {
        long deadline = System.nanoTime() + RECOVERY_LIMIT.toNanos();
        String body =
                HttpApi.json(Map.of("group_id", GROUP, "topics", List.of(TOPIC), "auto_offset_reset", "earliest"));
        while (true) {
            HttpApi.Response response = client.subscribeRaw(body);
            if (response.status() == 200) {
                Consumer consumer =
                        client.new Consumer(response.json().path("consumer_id").asText(), response.json());
                journal.observe(consumer.id(), 0, response.json());
                return consumer;
            }
            journal.refused(Thread.currentThread().getName(), "subscribe", response);
            assertThat(response.status()).as("subscribe: %s", response.body()).isEqualTo(503);
            assertThat(System.nanoTime() < deadline && !stop.get())
                    .as("subscribe still refused: %s", response.body())
                    .isTrue();
            Thread.sleep(RETRY_PAUSE_MS);
        }
    }

    // ---- reading the committed offsets -----------------------------------------------------------

    /** Reads the committed offsets every 250 ms, through the Admin client and through the API. */
    private static void sample(Admin admin, HttpApi api, Journal journal, AtomicBoolean stop)
            throws InterruptedException {
        while (!stop.get()) {
            long sent = System.nanoTime();
            try {
                Map<Integer, Long> committed = committedViaAdmin(admin);
                journal.samples.add(new Sample("admin", sent, System.nanoTime(), committed));
            } catch (Exception e) {
                if (e instanceof InterruptedException interrupted) {
                    throw interrupted;
                }
                journal.failedRead("admin listConsumerGroupOffsets", e);
            }
            sent = System.nanoTime();
            HttpApi.Response response = api.get("/api/consumer-groups/" + GROUP);
            if (response.status() == 200) {
                journal.samples.add(new Sample("http", sent, System.nanoTime(), committedOf(response.json())));
            } else if (response.status() != 404) { // 404: no member has joined yet
                journal.refused("sampler", "GET group", response);
            }
            Thread.sleep(SAMPLE_EVERY_MS);
        }
    }

    private static Map<Integer, Long> committedViaAdmin(Admin admin) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(GROUP)
                .partitionsToOffsetAndMetadata()
                .get(ADMIN_CALL.toMillis(), TimeUnit.MILLISECONDS);
        Map<Integer, Long> committed = new TreeMap<>();
        offsets.forEach((partition, offset) -> {
            if (offset != null && partition.topic().equals(TOPIC)) {
                committed.put(partition.partition(), offset.offset());
            }
        });
        return committed;
    }

    /** The committed offsets of a GET /api/consumer-groups/{group} answer, by partition. */
    private static Map<Integer, Long> committedOf(JsonNode group) {
        Map<Integer, Long> committed = new TreeMap<>();
        for (JsonNode offset : group.path("offsets")) {
            if (offset.path("topic").asText().equals(TOPIC)) {
                committed.put(
                        offset.path("partition").asInt(),
                        offset.path("committed_offset").asLong());
            }
        }
        return committed;
    }

    private static boolean committedToTheEnd(Admin admin, Journal journal) {
        try {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < PARTITIONS; p++) {
                latest.put(new TopicPartition(TOPIC, p), OffsetSpec.latest());
            }
            Map<Integer, Long> ends = new TreeMap<>();
            admin.listOffsets(latest)
                    .all()
                    .get(ADMIN_CALL.toMillis(), TimeUnit.MILLISECONDS)
                    .forEach((partition, info) -> ends.put(partition.partition(), info.offset()));
            return committedViaAdmin(admin).equals(ends);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (Exception e) {
            journal.failedRead("admin end offsets / committed offsets", e);
            return false;
        }
    }

    /** Produced records (by the produce answers) no member has processed yet. */
    private static Set<String> missing(Journal journal) {
        Set<String> missing = new TreeSet<>(journal.produced.keySet());
        missing.removeAll(journal.processedKeys);
        return missing;
    }

    // ---- the checks ------------------------------------------------------------------------------

    /** The outcome of the checks: what is wrong, and the reads Kafka answered stale after the kill. */
    record Checked(List<String> violations, FailoverWindow window) {}

    /**
     * The reads of the committed offsets that began after the kill and before the first one showing
     * every commit answered 200 before the kill. Kafka's new group coordinator may answer those from
     * the offsets topic up to its high watermark, which can be behind the dead leader's for a moment
     * (reproduced with plain Kafka clients, no Takhin involved), so they may show older offsets; they
     * are reported, not held to the checks. That such a read comes at all is checked: a commit
     * answered before the kill that no later read shows would be a lost commit.
     */
    record FailoverWindow(long fromNanos, long untilNanos, List<String> staleReads) {
        /**
         * Answered after the kill and begun before the first read that showed every earlier commit:
         * a read sent just before the kill but answered by the new coordinator is one of them too.
         */
        boolean contains(Sample sample) {
            return sample.receivedNanos() > fromNanos && sample.sentNanos() < untilNanos;
        }
    }

    private static Checked check(Journal journal) {
        List<String> violations = new ArrayList<>();
        FailoverWindow window = failoverWindow(journal, violations);
        checkValues(journal, violations);
        checkNoCommitLost(journal, window, violations);
        checkSamplesNeverGoBack(journal, window, violations);
        journal.windowChecks.addAndGet(StableWindows.check(
                journal.processed,
                journal.observations,
                delivery -> ", received at " + journal.clock(delivery.nanos()),
                (delivery, before, after, found) -> {},
                violations));
        if (journal.resubscribes.get() > 0) {
            violations.add(journal.resubscribes.get() + " consumers vanished (404) and had to subscribe again");
        }
        journal.refusals.keySet().stream()
                .filter(refusal -> !expected(refusal))
                .forEach(refusal -> violations.add("unexpected answer: " + refusal + " (x"
                        + journal.refusals.get(refusal).get() + ")"));
        return new Checked(violations, window);
    }

    private static FailoverWindow failoverWindow(Journal journal, List<String> violations) {
        Map<Integer, Long> ackedBeforeKill = new TreeMap<>();
        for (Ack ack : journal.acks) {
            if (ack.ackNanos() < journal.killNanos) {
                ackedBeforeKill.merge(ack.partition(), ack.offset(), Math::max);
            }
        }
        long until = Long.MAX_VALUE;
        for (Sample sample : journal.samples) {
            if (sample.sentNanos() > journal.killNanos
                    && behind(sample, ackedBeforeKill).isEmpty()) {
                until = sample.sentNanos();
                break;
            }
        }
        if (until == Long.MAX_VALUE) {
            violations.add("no read of the committed offsets after the kill shows the commits answered 200 before it, "
                    + ackedBeforeKill + "; the last read shows "
                    + (journal.samples.isEmpty()
                            ? "nothing"
                            : journal.samples.getLast().committed()));
        }
        List<String> stale = new ArrayList<>();
        FailoverWindow window = new FailoverWindow(journal.killNanos, until, stale);
        for (Sample sample : journal.samples) {
            Map<Integer, String> behind = behind(sample, ackedBeforeKill);
            if (window.contains(sample) && !behind.isEmpty()) {
                stale.add(sample.source() + " read begun at " + journal.clock(sample.sentNanos()) + ", answered at "
                        + journal.clock(sample.receivedNanos()) + ": " + behind);
            }
        }
        return window;
    }

    /** The partitions whose committed offset in {@code sample} is below {@code acked}: "seen < acked". */
    private static Map<Integer, String> behind(Sample sample, Map<Integer, Long> acked) {
        Map<Integer, String> behind = new TreeMap<>();
        acked.forEach((partition, offset) -> {
            long seen = sample.committed().getOrDefault(partition, -1L);
            if (seen < offset) {
                behind.put(partition, seen + " < " + offset);
            }
        });
        return behind;
    }

    /** The answers a client may get while the cluster recovers. */
    private static boolean expected(String refusal) {
        return refusal.endsWith(" 503 backend_unavailable")
                || refusal.endsWith(" 409 poll_in_progress")
                || refusal.startsWith("commit 409 partition_not_owned")
                || refusal.startsWith("commit positions 409 partition_not_owned")
                || refusal.startsWith("admin ");
    }

    /** Every delivery carries the value its offset was produced with (records no answer named may exist). */
    private static void checkValues(Journal journal, List<String> violations) {
        int unknown = 0;
        for (Delivery delivery : journal.processed) {
            String produced = journal.produced.get(Journal.key(delivery.partition(), delivery.offset()));
            if (produced == null) {
                unknown++;
            } else if (!produced.equals(delivery.value())) {
                violations.add("record " + Journal.key(delivery.partition(), delivery.offset()) + " delivered as "
                        + delivery.value() + " but produced as " + produced);
            }
        }
        if (unknown > 0) {
            System.out.printf(
                    "KafkaFailoverIT: %d deliveries of records no produce answer named (kept from a failed"
                            + " produce request)%n",
                    unknown);
        }
    }

    /**
     * A read of the committed offsets that began after a commit's 200 shows that commit, or later
     * (except the reads of the failover window).
     */
    private static void checkNoCommitLost(Journal journal, FailoverWindow window, List<String> violations) {
        int reported = 0;
        for (Ack ack : journal.acks) {
            for (Sample sample : journal.samples) {
                if (sample.sentNanos() <= ack.ackNanos() || window.contains(sample)) {
                    continue;
                }
                long seen = sample.committed().getOrDefault(ack.partition(), -1L);
                if (seen < ack.offset() && reported++ < 20) {
                    violations.add("commit of offset " + ack.offset() + " on partition " + ack.partition() + " by "
                            + ack.consumerId() + " answered 200 at " + journal.clock(ack.ackNanos()) + ", but the "
                            + sample.source() + " read begun at " + journal.clock(sample.sentNanos()) + " shows "
                            + seen);
                }
            }
        }
    }

    /**
     * Reads one after the other never show a partition's committed offset lower than before (the
     * reads of the failover window aside).
     */
    private static void checkSamplesNeverGoBack(Journal journal, FailoverWindow window, List<String> violations) {
        Map<Integer, Sample> highest = new HashMap<>();
        for (Sample sample : journal.samples) { // one thread read them in this order
            if (window.contains(sample)) {
                continue;
            }
            for (Map.Entry<Integer, Long> entry : sample.committed().entrySet()) {
                Sample before = highest.get(entry.getKey());
                long previous = before == null ? -1 : before.committed().get(entry.getKey());
                if (entry.getValue() < previous) {
                    violations.add("partition " + entry.getKey() + " committed " + previous + " (" + before.source()
                            + " read at " + journal.clock(before.receivedNanos()) + ") then " + entry.getValue() + " ("
                            + sample.source() + " read at " + journal.clock(sample.sentNanos()) + ")");
                } else {
                    highest.put(entry.getKey(), sample);
                }
            }
            for (int p = 0; p < PARTITIONS; p++) {
                if (highest.containsKey(p) && !sample.committed().containsKey(p)) {
                    violations.add("partition " + p + " had a committed offset, then the " + sample.source()
                            + " read at " + journal.clock(sample.sentNanos()) + " shows none");
                }
            }
        }
    }

    // ---- reporting -------------------------------------------------------------------------------

    private static void report(
            Journal journal,
            FailoverWindow window,
            Map<Integer, Long> ends,
            int victim,
            long recoveredMs,
            long testStart) {
        long firstLate = Long.MAX_VALUE;
        long maxGapAfterKill = 0;
        long previous = journal.killNanos;
        List<Long> times = new ArrayList<>();
        for (Delivery delivery : journal.processed) {
            if (journal.producedAfterKill.contains(Journal.key(delivery.partition(), delivery.offset()))) {
                firstLate = Math.min(firstLate, delivery.nanos());
            }
            if (delivery.nanos() > journal.killNanos) {
                times.add(delivery.nanos());
            }
        }
        times.sort(Long::compare);
        for (long time : times) {
            maxGapAfterKill = Math.max(maxGapAfterKill, time - previous);
            previous = time;
        }
        System.out.printf(
                "KafkaFailoverIT: node %d killed; %d records produced (%d after the kill, %d produce requests sent"
                        + " again), %d deliveries of %d distinct records; ends %s%n",
                victim,
                journal.produced.size(),
                journal.producedAfterKill.size(),
                journal.produceRetries.get(),
                journal.processed.size(),
                journal.processedKeys.size(),
                ends);
        System.out.printf(
                "KafkaFailoverIT: after the kill: first record produced after it processed at +%d ms, first commit"
                        + " sent after it answered 200 at +%d ms, longest pause between deliveries %d ms, all"
                        + " processed and committed to the end at +%d ms; %d commits answered 200, %d position commits,"
                        + " %d committed-offset reads, %d delivery continuations checked; test %d ms%n",
                firstLate == Long.MAX_VALUE ? -1 : journal.sinceKillMs(firstLate),
                journal.firstAckAfterKillNanos.get() == 0
                        ? -1
                        : journal.sinceKillMs(journal.firstAckAfterKillNanos.get()),
                TimeUnit.NANOSECONDS.toMillis(maxGapAfterKill),
                recoveredMs,
                journal.acks.size(),
                journal.positionCommits.get(),
                journal.samples.size(),
                journal.windowChecks.get(),
                millisSince(testStart));
        System.out.println("KafkaFailoverIT: refusals " + new TreeMap<>(journal.refusals));
        System.out.println("KafkaFailoverIT: the reads of the committed offsets show every commit answered before the"
                + " kill from the one begun at "
                + (window.untilNanos() == Long.MAX_VALUE ? "never" : journal.clock(window.untilNanos())) + "; "
                + window.staleReads().size() + " reads before it showed older offsets"
                + (window.staleReads().isEmpty() ? "" : ": " + window.staleReads()));
        System.out.println("KafkaFailoverIT: " + journal.nonEmptyConsumes.get() + " non-empty consumes; latencies "
                + journal.latencySummary());
        journal.events.forEach(event -> System.out.println("KafkaFailoverIT:   " + event));
        printAssignments(journal);
    }

    /** Per member, run-length: "generation [partitions] x observations" for each stretch of equal ones. */
    private static void printAssignments(Journal journal) {
        journal.observations.forEach((consumerId, byIndex) -> {
            StringBuilder stretches = new StringBuilder();
            Observation current = null;
            int count = 0;
            for (Observation observation : new TreeMap<>(byIndex).values()) {
                if (observation.equals(current)) {
                    count++;
                    continue;
                }
                if (current != null) {
                    stretches
                            .append(current.generation())
                            .append(current.partitions())
                            .append('x')
                            .append(count)
                            .append(' ');
                }
                current = observation;
                count = 1;
            }
            if (current != null) {
                stretches
                        .append(current.generation())
                        .append(current.partitions())
                        .append('x')
                        .append(count);
            }
            System.out.println("KafkaFailoverIT: assignments seen by " + consumerId + ": " + stretches);
        });
    }

    /**
     * The stacks of the server's Kafka threads (it runs in this JVM), the members' own threads and
     * the sampler: where a stall is.
     */
    private static void printThreads() {
        Thread.getAllStackTraces().forEach((thread, stack) -> {
            String name = thread.getName();
            if (name.startsWith("takhin-kafka") || name.startsWith("failover-")) {
                StringBuilder text = new StringBuilder("KafkaFailoverIT: thread " + name + " " + thread.getState());
                for (StackTraceElement frame : stack) {
                    text.append("\n\tat ").append(frame);
                }
                System.out.println(text);
            }
        });
    }

    private static void keepBrokerLogs(KafkaCluster cluster, Journal journal) {
        Path target = Path.of("target", "KafkaFailoverIT-logs");
        try {
            Files.createDirectories(target);
            for (int node = 1; node <= cluster.nodes(); node++) {
                for (String log : List.of("broker.log", "console.log")) {
                    Path source = cluster.nodeDir(node).resolve(log);
                    if (Files.exists(source)) {
                        Files.copy(
                                source,
                                target.resolve("node-" + node + "-" + log),
                                StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
            Files.write(target.resolve("events.txt"), List.copyOf(journal.events));
            System.out.println("KafkaFailoverIT: broker logs kept in " + target.toAbsolutePath());
        } catch (IOException e) {
            System.out.println("KafkaFailoverIT: could not keep the broker logs: " + e);
        }
    }

    // ---- plumbing --------------------------------------------------------------------------------

    /** A body that may throw; its failure is recorded in the journal. */
    interface Body {
        void run() throws Exception;
    }

    private static Thread start(String name, Journal journal, Body body) {
        return Thread.ofPlatform().name(name).start(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                journal.failures.add(e);
                journal.event(name + " failed: " + e);
            }
        });
    }

    /** Waits for {@code condition}, checked every 100 ms; fails with what is missing if it is late. */
    private static void awaitCondition(
            String what, Duration limit, Journal journal, java.util.function.BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (!journal.failures.isEmpty()) {
                throw new AssertionError(
                        "a client thread failed while waiting for " + what, journal.failures.getFirst());
            }
            if (System.nanoTime() > deadline) {
                Set<String> missing = missing(journal);
                Map<Integer, Integer> missingByPartition = new TreeMap<>();
                missing.forEach(key -> missingByPartition.merge(
                        Integer.parseInt(key.substring(0, key.indexOf('@'))), 1, Integer::sum));
                Sample last = journal.samples.isEmpty() ? null : journal.samples.getLast();
                printThreads();
                printAssignments(journal);
                throw new AssertionError("not within " + limit + ": " + what + "; " + journal.processedKeys.size()
                        + " of " + journal.produced.size() + " produced records processed, missing by partition "
                        + missingByPartition + " (e.g. "
                        + missing.stream().limit(10).toList() + "); last committed"
                        + " read "
                        + (last == null
                                ? "none"
                                : last.source() + " " + last.committed() + " at " + journal.clock(last.receivedNanos()))
                        + "; refusals " + new TreeMap<>(journal.refusals)
                        + "; " + journal.nonEmptyConsumes.get() + " non-empty consumes; latencies "
                        + journal.latencySummary()
                        + "; events:\n" + String.join("\n", journal.events));
            }
            Thread.sleep(100);
        }
    }

    /** Waits up to 30 s for the client threads; {@code mustEnd} fails if one is still running then. */
    private static void joinAll(
            List<Thread> members, @Nullable Thread sampler, @Nullable Thread producer, boolean mustEnd)
            throws InterruptedException {
        List<Thread> all = new ArrayList<>(members);
        if (sampler != null) {
            all.add(sampler);
        }
        if (producer != null) {
            all.add(producer);
        }
        // A member may be inside a commit the backend bounds at ~20 s.
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        for (Thread thread : all) {
            thread.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (mustEnd) {
                assertThat(thread.isAlive()).as("%s ended", thread.getName()).isFalse();
            }
        }
    }

    private static String codeOf(HttpApi.Response response) {
        try {
            return HttpApi.JSON.readTree(response.body()).path("code").asText("?");
        } catch (IOException e) {
            return "?";
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "...";
    }

    private static long millisSince(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }
}
