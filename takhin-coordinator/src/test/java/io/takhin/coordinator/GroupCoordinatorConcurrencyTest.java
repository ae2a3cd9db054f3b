package io.takhin.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.takhin.common.ErrorCode;
import io.takhin.common.ManualTime;
import io.takhin.common.TakhinException;
import io.takhin.common.TopicPartition;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many threads join, leave, assign manually and commit on several groups at once while a sampler
 * reads the published snapshots; C1 must hold at every instant the readers can observe. Seeded
 * (the seed picks every operation; thread timing is not reproducible), bounded in time.
 */
class GroupCoordinatorConcurrencyTest {
    private static final List<String> GROUPS = List.of("g0", "g1", "g2");
    private static final Map<String, Integer> TOPICS = Map.of("t0", 8, "t1", 5, "t2", 3);
    private static final int MEMBERS_PER_GROUP = 8;
    private static final int WORKERS = 4;
    private static final long RUN_MS = 2_500;
    private static final int MAX_OPERATIONS_PER_WORKER = 5_000;
    private static final Set<ErrorCode> EXPECTED_ERRORS = EnumSet.of(
            ErrorCode.PARTITION_NOT_OWNED,
            ErrorCode.CONSUMER_NOT_FOUND,
            ErrorCode.TOPIC_NOT_FOUND,
            ErrorCode.PARTITION_NOT_FOUND);

    @TempDir
    Path dataDir;

    private final Map<String, Integer> topics = new ConcurrentHashMap<>(TOPICS);
    private final ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
    private final AtomicLong checks = new AtomicLong();
    private final AtomicLong commits = new AtomicLong();
    private GroupCoordinator coordinator;

    @Test
    void concurrentJoinLeaveCommit_snapshotsNeverShareAPartition() {
        Seeds.run(this::run);
    }

    private void run(long seed) {
        TopicMetadata metadata = topic -> {
            Integer count = topics.get(topic);
            return count == null ? OptionalInt.empty() : OptionalInt.of(count);
        };
        coordinator = GroupCoordinator.start(
                new CoordinatorConfig(dataDir.resolve("offsets-" + seed), 500, 64),
                metadata,
                new ManualTime(),
                new TestOffsetLogs());
        try {
            AtomicBoolean stop = new AtomicBoolean();
            long deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RUN_MS);
            List<Thread> threads = new ArrayList<>();
            ConcurrentLinkedQueue<Throwable> crashes = new ConcurrentLinkedQueue<>();
            for (int worker = 0; worker < WORKERS; worker++) {
                SplittableRandom random = new SplittableRandom(seed + worker);
                boolean topicEvents = worker == 0;
                threads.add(Thread.ofPlatform().name("worker-" + worker).start(() -> {
                    try {
                        for (int i = 0; i < MAX_OPERATIONS_PER_WORKER && System.nanoTime() < deadlineNanos; i++) {
                            operate(random, topicEvents);
                        }
                    } catch (Throwable e) {
                        crashes.add(e);
                    }
                }));
            }
            Thread sampler = Thread.ofPlatform().name("sampler").start(() -> {
                while (!stop.get()) {
                    GROUPS.forEach(this::checkExclusive);
                }
            });
            for (Thread thread : threads) {
                join(thread);
            }
            stop.set(true);
            join(sampler);

            assertThat(crashes).isEmpty();
            assertThat(violations).isEmpty();
            assertThat(checks.get()).isGreaterThan(100);
            assertThat(commits.get()).isPositive();
            checkQuiescent();
        } finally {
            coordinator.close();
        }
    }

    private void operate(SplittableRandom random, boolean topicEvents) throws Exception {
        String group = GROUPS.get(random.nextInt(GROUPS.size()));
        String member = group + "-m" + random.nextInt(MEMBERS_PER_GROUP);
        int action = random.nextInt(100);
        CompletableFuture<?> future;
        if (topicEvents && action < 3) {
            if (topics.remove("t2") != null) {
                future = coordinator.topicDeleted("t2");
            } else {
                topics.put("t2", TOPICS.get("t2"));
                future = coordinator.topicCreated("t2", TOPICS.get("t2"));
            }
        } else if (action < 35) {
            future = coordinator.join(group, member, randomTopics(random), "127.0.0.1");
        } else if (action < 55) {
            future = coordinator.leave(group, member);
        } else if (action < 62) {
            Set<Integer> partitions = new HashSet<>();
            partitions.add(random.nextInt(TOPICS.get("t0")));
            future = coordinator.assignManually(group, member, Map.of("t0", partitions));
        } else {
            Map<TopicPartition, Long> offsets = new HashMap<>();
            coordinator
                    .assignment(group, member)
                    .ifPresent(assignment -> assignment
                            .partitions()
                            .forEach(partition -> offsets.put(partition, random.nextLong(0, 1_000_000))));
            future = coordinator.commit(group, member, offsets);
            if (awaitOrExpectedError(future)) {
                commits.incrementAndGet();
                for (TopicPartition partition : offsets.keySet()) {
                    // t2 may be deleted, and its offsets with it, between the commit and this check.
                    if (coordinator.committed(group, partition).isEmpty()
                            && !partition.topic().equals("t2")) {
                        violations.add(
                                "C5: committed offset of " + partition + " in " + group + " missing after commit");
                    }
                }
            }
            checkExclusive(group);
            return;
        }
        awaitOrExpectedError(future);
        checkExclusive(group);
    }

    private static Set<String> randomTopics(SplittableRandom random) {
        Set<String> chosen = new HashSet<>();
        for (String topic : TOPICS.keySet()) {
            if (random.nextInt(3) == 0) {
                chosen.add(topic);
            }
        }
        if (chosen.isEmpty()) {
            chosen.add("t0");
        }
        return chosen;
    }

    /** True if the future succeeded; false for an error the race allows; throws for anything else. */
    private static boolean awaitOrExpectedError(CompletableFuture<?> future) throws Exception {
        try {
            future.get(10, TimeUnit.SECONDS);
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TakhinException error && EXPECTED_ERRORS.contains(error.code())) {
                return false;
            }
            throw e;
        }
    }

    /**
     * C1 as a reader sees it: read every member's snapshot twice, one pass after the other. A
     * snapshot that is the same object in both passes was published during the whole interval
     * between its two reads, and all those intervals contain the instant between the passes; so the
     * unchanged snapshots all coexisted at that instant and must not share a partition.
     */
    private void checkExclusive(String group) {
        MemberAssignment[] first = new MemberAssignment[MEMBERS_PER_GROUP];
        for (int i = 0; i < MEMBERS_PER_GROUP; i++) {
            first[i] = coordinator.assignment(group, group + "-m" + i).orElse(null);
        }
        Map<TopicPartition, String> owners = new HashMap<>();
        for (int i = 0; i < MEMBERS_PER_GROUP; i++) {
            MemberAssignment second =
                    coordinator.assignment(group, group + "-m" + i).orElse(null);
            if (second == null || second != first[i]) {
                continue;
            }
            for (TopicPartition partition : second.partitions()) {
                String previous = owners.put(partition, group + "-m" + i);
                if (previous != null) {
                    violations.add("C1: " + partition + " of " + group + " owned by " + previous + " and " + group
                            + "-m" + i + " at once");
                }
            }
        }
        checks.incrementAndGet();
    }

    /** Once the load has stopped: exclusivity, and describe agrees with the snapshots. */
    private void checkQuiescent() {
        for (String group : GROUPS) {
            var description = GroupCoordinatorTest.await(coordinator.describeGroup(group));
            if (description.isEmpty()) {
                continue;
            }
            Set<TopicPartition> owned = new HashSet<>();
            for (MemberDescription member : description.get().members()) {
                MemberAssignment snapshot =
                        coordinator.assignment(group, member.memberId()).orElseThrow();
                assertThat(snapshot.partitions()).isEqualTo(member.assignment());
                assertThat(snapshot.generationId()).isEqualTo(description.get().generationId());
                for (TopicPartition partition : snapshot.partitions()) {
                    assertThat(owned.add(partition))
                            .as("%s owned twice in %s", partition, group)
                            .isTrue();
                }
            }
        }
    }

    private static void join(Thread thread) {
        try {
            if (!thread.join(java.time.Duration.ofSeconds(30))) {
                throw new AssertionError(thread.getName() + " did not finish");
            }
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
