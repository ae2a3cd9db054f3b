package io.takhin.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.takhin.it.ConsumerClient.Consumer;
import io.takhin.it.ConsumerClient.Produced;
import io.takhin.it.ConsumerClient.Rec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Members of one group join, consume, process, commit, close and expire while records are produced
 * to eight partitions; a checker then verifies the group's promises from what the clients saw.
 * Seeded and bounded (about 30 s); {@code -Dtakhin.test.seed=N} replays the same random choices
 * (thread timing still varies).
 *
 * <p>What the checker may rely on, and why it is sound. Every member observes its assignment
 * (subscribe response, then GET assignment after every consume) with the group's generation. The
 * generation grows by one on every rebalance and every rebalance publishes every member's share
 * with it, so two observations of one consumer with the same generation prove that no rebalance
 * happened in between: the consumer owned the same partitions throughout, and its positions moved
 * only through its own consumes. Records delivered again after a rebalance (at-least-once handoff,
 * a commit refused with 409 because the partition moved) are therefore never counted as errors;
 * only deliveries inside such a stable window are held to "dense, increasing, no duplicate".
 */
class ConsumerConcurrencyIT {
    @RegisterExtension
    static final TakhinServerExtension server = new TakhinServerExtension();

    private static final String TOPIC = "churn";
    private static final String GROUP = "churn-group";
    private static final int PARTITIONS = 8;
    private static final int MEMBERS = 4;
    private static final Duration PRODUCE_FOR = Duration.ofSeconds(14);
    private static final Duration CHURN_FOR = Duration.ofSeconds(18);
    private static final Duration DRAIN_LIMIT = Duration.ofSeconds(30);

    /** What one consumer saw of its assignment: index 0 is the subscribe response, i the GET after consume i. */
    record Observation(int index, int generation, Set<Integer> partitions, long sentNanos, long receivedNanos)
            implements StableWindows.Seen {}

    /** One record processed by a consumer, delivered by its consume number {@code consume} (from 1). */
    record Delivery(String consumerId, int consume, int partition, long offset, String value)
            implements StableWindows.Received {}

    /** Everything the clients saw, shared by all threads. */
    static final class Journal {
        final Map<String, String> produced = new ConcurrentHashMap<>();
        final ConcurrentLinkedQueue<Delivery> processed = new ConcurrentLinkedQueue<>();
        final Map<String, Map<Integer, Observation>> observations = new ConcurrentHashMap<>();
        final AtomicInteger tenures = new AtomicInteger();
        final AtomicInteger closes = new AtomicInteger();
        final AtomicInteger abandoned = new AtomicInteger();
        final AtomicInteger unexpectedExpiries = new AtomicInteger();
        final AtomicInteger refusedCommits = new AtomicInteger();
        final AtomicInteger pollInProgressRefusals = new AtomicInteger();
        /** Records a crashing member received but never processed (nor committed). */
        final AtomicInteger droppedUnprocessed = new AtomicInteger();
        /** Deliveries the checker held to "continues exactly where the consumer's previous one ended". */
        final AtomicInteger windowChecks = new AtomicInteger();

        final List<Throwable> failures = new CopyOnWriteArrayList<>();

        static String key(int partition, long offset) {
            return partition + "@" + offset;
        }

        void observe(String consumerId, int index, JsonNode assignment, long sentNanos, long receivedNanos) {
            observations
                    .computeIfAbsent(consumerId, id -> new ConcurrentHashMap<>())
                    .put(
                            index,
                            new Observation(
                                    index,
                                    assignment.path("generation_id").asInt(),
                                    ConsumerClient.partitionsOf(assignment, TOPIC),
                                    sentNanos,
                                    receivedNanos));
        }
    }

    @Test
    void membersJoinCloseAndExpireWhileProducing_everyRecordProcessedAndNoneTwiceWithinATenure() throws Exception {
        long seed = Long.getLong("takhin.test.seed", System.nanoTime());
        System.out.println("ConsumerConcurrencyIT seed=" + seed + " (replay with -Dtakhin.test.seed=" + seed + ")");
        ConsumerClient client = ConsumerClient.connect(server);
        client.createTopic(TOPIC, PARTITIONS);
        Journal journal = new Journal();
        keepGroupAliveWhenEmpty(client);

        long start = System.nanoTime();
        long produceUntil = start + PRODUCE_FOR.toNanos();
        long churnUntil = start + CHURN_FOR.toNanos();
        List<Thread> threads = new ArrayList<>();
        threads.add(Thread.ofPlatform().name("churn-producer").start(() -> {
            try {
                produce(ConsumerClient.connect(server), new Random(seed), produceUntil, journal);
            } catch (Throwable e) {
                journal.failures.add(e);
            }
        }));
        for (int m = 0; m < MEMBERS; m++) {
            Random random = new Random(seed * 31 + m + 1);
            threads.add(Thread.ofPlatform().name("churn-member-" + m).start(() -> {
                try {
                    // Each member is a client of its own, with its own connection.
                    member(ConsumerClient.connect(server), random, churnUntil, journal);
                } catch (Throwable e) {
                    journal.failures.add(e);
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join(Duration.ofSeconds(60));
            assertThat(thread.isAlive())
                    .as("%s ended (seed %d)", thread.getName(), seed)
                    .isFalse();
        }
        assertThat(journal.failures).as("client threads failed (seed %d)", seed).isEmpty();

        drain(client, journal, seed);

        System.out.printf(
                "ConsumerConcurrencyIT: %d records produced, %d processed, %d tenures, %d closed, %d left to expire,"
                        + " %d unexpected expiries, %d commits refused with 409, %d consumes refused with"
                        + " poll_in_progress, %d records received by crashing members and never processed%n",
                journal.produced.size(),
                journal.processed.size(),
                journal.tenures.get(),
                journal.closes.get(),
                journal.abandoned.get(),
                journal.unexpectedExpiries.get(),
                journal.refusedCommits.get(),
                journal.pollInProgressRefusals.get(),
                journal.droppedUnprocessed.get());
        check(journal, seed);
        System.out.println("ConsumerConcurrencyIT: " + journal.windowChecks.get()
                + " consumes continued a partition inside a stable window and were checked for density");
    }

    /**
     * Commits offset 0 on every partition once, so the group keeps its committed offsets, and with
     * them its generation count, even at an instant when every member has left.
     */
    private static void keepGroupAliveWhenEmpty(ConsumerClient client) {
        Consumer bootstrap = client.subscribe(GROUP, "earliest", TOPIC);
        Map<Integer, Long> zero = new TreeMap<>();
        for (int p = 0; p < PARTITIONS; p++) {
            zero.put(p, 0L);
        }
        bootstrap.commit(TOPIC, zero);
        assertThat(bootstrap.close().status()).isEqualTo(200);
    }

    /** Produces numbered records, a few at a time, to random partitions until the deadline. */
    private static void produce(ConsumerClient client, Random random, long until, Journal journal)
            throws InterruptedException {
        int sequence = 0;
        while (System.nanoTime() < until) {
            int partition = random.nextInt(PARTITIONS);
            int count = 1 + random.nextInt(5);
            String[] values = new String[count];
            for (int i = 0; i < count; i++) {
                values[i] = "n-" + sequence++;
            }
            List<Produced> produced = client.produce(TOPIC, partition, values);
            for (int i = 0; i < count; i++) {
                journal.produced.put(Journal.key(partition, produced.get(i).offset()), values[i]);
            }
            // Pacing of the load (a few hundred records per second), not a wait for a condition.
            Thread.sleep(2 + random.nextInt(10));
        }
    }

    /**
     * One member thread: subscribe with a fresh id, then consume, observe, process, commit for a
     * random number of polls, then either close (DELETE) or go silent and let the session expire;
     * again until the deadline.
     */
    private static void member(ConsumerClient client, Random random, long until, Journal journal) {
        while (System.nanoTime() < until) {
            long sessionTimeoutMs = 1000 + random.nextInt(2001);
            long sent = System.nanoTime();
            Consumer consumer = client.subscribe(GROUP, "earliest", sessionTimeoutMs, TOPIC);
            journal.observe(consumer.id(), 0, consumer.subscribed(), sent, System.nanoTime());
            journal.tenures.incrementAndGet();
            int polls = 2 + random.nextInt(20);
            boolean alive = true;
            for (int i = 1; i <= polls && alive && System.nanoTime() < until; i++) {
                alive = pollProcessCommit(consumer, i, random, journal);
            }
            if (!alive) {
                journal.unexpectedExpiries.incrementAndGet();
            } else if (random.nextBoolean()) {
                assertThat(consumer.close().status()).isEqualTo(200);
                journal.closes.incrementAndGet();
            } else {
                // Go silent, as a client that crashed: the id is abandoned and expires after its
                // session timeout, its partitions then move to the others; this thread rejoins at
                // once with a new id. Sometimes the crash comes right after a consume answered,
                // before its records were processed: they were never committed, so the next owner
                // must deliver them again (the final check finds them processed or reports them).
                if (random.nextInt(3) == 0) {
                    HttpApi.Response lost = consumer.consumeRaw("{\"max_records\":20,\"timeout_ms\":100}");
                    assertThat(lost.status()).isIn(200, 404);
                    if (lost.status() == 200) {
                        journal.droppedUnprocessed.addAndGet(
                                Rec.all(lost.json()).size());
                    }
                }
                journal.abandoned.incrementAndGet();
            }
        }
    }

    /** Consume number {@code index}; false if the session turned out to be gone. */
    private static boolean pollProcessCommit(Consumer consumer, int index, Random random, Journal journal) {
        HttpApi.Response response;
        while (true) {
            response = consumer.consumeRaw(HttpApi.json(
                    Map.of("max_records", 1 + random.nextInt(20), "timeout_ms", 100 + random.nextInt(300))));
            if (response.status() != 409) {
                break;
            }
            // Only possible through the server's poll_in_progress race after a previous response
            // (ConsumerSessionIT pins that bug); no records were delivered, so just ask again.
            assertThat(response.code()).isEqualTo("poll_in_progress");
            journal.pollInProgressRefusals.incrementAndGet();
        }
        if (response.status() == 404) {
            return false;
        }
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        List<Rec> records = Rec.all(response.json());
        long sent = System.nanoTime();
        HttpApi.Response assignment = consumer.assignmentRaw();
        boolean alive = assignment.status() == 200;
        if (alive) {
            journal.observe(consumer.id(), index, assignment.json(), sent, System.nanoTime());
        }
        Map<Integer, Long> next = new TreeMap<>();
        for (Rec record : records) {
            // "Processing": the record goes to the shared log, then its offset + 1 is committed.
            journal.processed.add(
                    new Delivery(consumer.id(), index, record.partition(), record.offset(), record.valueText()));
            next.put(record.partition(), record.offset() + 1);
        }
        if (!alive || next.isEmpty()) {
            return alive;
        }
        HttpApi.Response commit = consumer.commitRaw(ConsumerClient.commitBody(TOPIC, next));
        if (commit.status() == 409) {
            assertThat(commit.code()).isEqualTo("partition_not_owned");
            journal.refusedCommits.incrementAndGet();
            return true;
        }
        if (commit.status() == 404) {
            return false;
        }
        assertThat(commit.status()).as(commit.body()).isEqualTo(200);
        return true;
    }

    /**
     * A fresh member reads, processes and commits until it has caught up with every partition's end.
     * Every member thread has stopped; abandoned sessions still own partitions until they expire
     * (3 s at most), so the drain waits for those too, bounded by {@link #DRAIN_LIMIT}.
     */
    private static void drain(ConsumerClient client, Journal journal, long seed) {
        Map<Integer, Long> ends = client.highWatermarks(TOPIC);
        long sent = System.nanoTime();
        Consumer drainer = client.subscribe(GROUP, "earliest", TOPIC);
        journal.observe(drainer.id(), 0, drainer.subscribed(), sent, System.nanoTime());
        long deadline = System.nanoTime() + DRAIN_LIMIT.toNanos();
        int index = 0;
        while (true) {
            index++;
            HttpApi.Response response = drainer.consumeRaw("{\"max_records\":10000,\"timeout_ms\":200}");
            if (response.status() == 409) {
                journal.pollInProgressRefusals.incrementAndGet();
                continue;
            }
            assertThat(response.status()).as(response.body()).isEqualTo(200);
            sent = System.nanoTime();
            JsonNode assignment = drainer.assignment();
            journal.observe(drainer.id(), index, assignment, sent, System.nanoTime());
            Map<Integer, Long> next = new TreeMap<>();
            for (Rec record : Rec.all(response.json())) {
                journal.processed.add(
                        new Delivery(drainer.id(), index, record.partition(), record.offset(), record.valueText()));
                next.put(record.partition(), record.offset() + 1);
            }
            if (!next.isEmpty()) {
                drainer.commit(TOPIC, next);
            }
            Map<Integer, Long> positions = drainer.positions(TOPIC);
            boolean caughtUp = ConsumerClient.partitionsOf(assignment, TOPIC).size() == PARTITIONS;
            for (int p = 0; p < PARTITIONS; p++) {
                caughtUp &= positions.getOrDefault(p, -1L) >= ends.get(p);
            }
            if (caughtUp) {
                return;
            }
            assertThat(System.nanoTime())
                    .as(
                            "the drainer caught up within %s (seed %d); positions %s, ends %s",
                            DRAIN_LIMIT, seed, positions, ends)
                    .isLessThan(deadline);
        }
    }

    private static void check(Journal journal, long seed) {
        List<String> violations = new ArrayList<>();
        checkValuesAndAtLeastOnce(journal, violations);
        checkGenerations(journal, violations);
        // Inside a stable window a consumer also receives only partitions it owns.
        journal.windowChecks.addAndGet(StableWindows.check(
                journal.processed,
                journal.observations,
                delivery -> "",
                (delivery, before, after, found) -> {
                    if (before != null
                            && after != null
                            && before.generation() == after.generation()
                            && !after.partitions().contains(delivery.partition())) {
                        found.add("consumer " + delivery.consumerId() + " consume " + delivery.consume()
                                + " returned partition " + delivery.partition() + " it did not own in generation "
                                + after.generation());
                    }
                },
                violations));
        assertThat(violations)
                .as("violations (seed %d, replay with -Dtakhin.test.seed=%d)", seed, seed)
                .isEmpty();
    }

    /** Every delivery carries the produced value; every produced record was processed at least once. */
    private static void checkValuesAndAtLeastOnce(Journal journal, List<String> violations) {
        Set<String> processedKeys = new HashSet<>();
        for (Delivery delivery : journal.processed) {
            String key = Journal.key(delivery.partition(), delivery.offset());
            processedKeys.add(key);
            String produced = journal.produced.get(key);
            if (produced != null && !produced.equals(delivery.value())) {
                violations.add("record " + key + " delivered as " + delivery.value() + " but produced as " + produced);
            }
        }
        Set<String> missing = new TreeSet<>(journal.produced.keySet());
        missing.removeAll(processedKeys);
        if (!missing.isEmpty()) {
            violations.add(missing.size() + " produced records never processed, e.g. "
                    + missing.stream().limit(20).toList());
        }
    }

    /**
     * Per consumer, generations never go back; per generation, no partition is owned by two
     * consumers (C1, from the clients' observations).
     */
    private static void checkGenerations(Journal journal, List<String> violations) {
        Map<Integer, Map<Integer, String>> ownerByGeneration = new HashMap<>();
        journal.observations.forEach((consumerId, byIndex) -> {
            int previous = -1;
            for (Observation observation : new TreeMap<>(byIndex).values()) {
                if (observation.generation() < previous) {
                    violations.add("consumer " + consumerId + " saw generation " + observation.generation() + " after "
                            + previous);
                }
                previous = observation.generation();
                Map<Integer, String> owners =
                        ownerByGeneration.computeIfAbsent(observation.generation(), g -> new HashMap<>());
                for (int partition : observation.partitions()) {
                    String other = owners.putIfAbsent(partition, consumerId);
                    if (other != null && !other.equals(consumerId)) {
                        violations.add("generation " + observation.generation() + " gives partition " + partition
                                + " to both " + other + " and " + consumerId);
                    }
                }
            }
        });
    }
}
