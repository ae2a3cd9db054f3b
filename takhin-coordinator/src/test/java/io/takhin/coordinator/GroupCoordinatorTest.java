package io.takhin.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.takhin.common.ErrorCode;
import io.takhin.common.ManualTime;
import io.takhin.common.TakhinException;
import io.takhin.common.TopicPartition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroupCoordinatorTest {
    @TempDir
    Path dataDir;

    private final Map<String, Integer> topics = new ConcurrentHashMap<>(Map.of("orders", 6, "events", 2));
    private final TopicMetadata metadata = topic -> {
        Integer count = topics.get(topic);
        return count == null ? OptionalInt.empty() : OptionalInt.of(count);
    };
    private final TestOffsetLogs logs = new TestOffsetLogs();
    private final List<GroupCoordinator> started = new ArrayList<>();
    private GroupCoordinator coordinator;

    GroupCoordinatorTest() {}

    @AfterEach
    void closeAll() {
        started.forEach(GroupCoordinator::close);
    }

    private GroupCoordinator start(long compactAfterRecords) {
        GroupCoordinator started = GroupCoordinator.start(
                new CoordinatorConfig(dataDir.resolve("__consumer_offsets"), compactAfterRecords, 1024),
                metadata,
                new ManualTime(),
                logs);
        this.started.add(started);
        coordinator = started;
        return started;
    }

    private GroupCoordinator start() {
        return start(100_000);
    }

    @Test
    void join_threeMembers_balancedShares() {
        start();
        join("g", "c1", "orders");
        join("g", "c2", "orders");
        join("g", "c3", "orders");

        for (String member : List.of("c1", "c2", "c3")) {
            assertThat(assignment("g", member).partitions()).hasSize(2);
        }
        assertThat(owners("g", "c1", "c2", "c3")).hasSize(6);
    }

    @Test
    void join_returnsTheSnapshotPublishedBeforeCompletion() {
        start();

        MemberAssignment joined = join("g", "c1", "orders");

        assertThat(coordinator.assignment("g", "c1")).containsSame(joined);
        assertThat(joined.partitions())
                .containsExactly(tps("orders", 0, 1, 2, 3, 4, 5).toArray(TopicPartition[]::new));
    }

    @Test
    void assignmentChange_completesWhenARebalanceRepublishesTheMember() throws Exception {
        start();
        join("g", "c1", "orders");
        var seen = coordinator.assignment("g", "c1");
        var change = coordinator.assignmentChange("g", "c1", seen);
        assertThat(change).isNotDone();

        join("g", "c2", "orders");

        change.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(coordinator.assignmentChange("g", "c1", seen))
                .as("a wait on an outdated snapshot completes at once")
                .isDone();
    }

    @Test
    void assignmentChange_completesWhenTheMemberLeaves() throws Exception {
        start();
        join("g", "c1", "orders");
        var change = coordinator.assignmentChange("g", "c1", coordinator.assignment("g", "c1"));

        coordinator.leave("g", "c1").get(10, java.util.concurrent.TimeUnit.SECONDS);

        change.get(10, java.util.concurrent.TimeUnit.SECONDS);
    }

    @Test
    void join_unknownTopic_topicNotFound() {
        start();

        assertThat(errorCode(coordinator.join("g", "c1", Set.of("orders", "nope"), "host")))
                .isEqualTo(ErrorCode.TOPIC_NOT_FOUND);
        assertThat(coordinator.assignment("g", "c1")).isEmpty();
    }

    @Test
    void join_emptyTopics_invalidArgument() {
        start();

        assertThat(errorCode(coordinator.join("g", "c1", Set.of(), "host"))).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    }

    @Test
    void leave_partitionsMoveToTheOthersAtOnce() {
        start();
        join("g", "c1", "orders");
        join("g", "c2", "orders");
        Set<TopicPartition> leaving = assignment("g", "c2").partitions();

        await(coordinator.leave("g", "c2"));

        assertThat(coordinator.assignment("g", "c2")).isEmpty();
        assertThat(assignment("g", "c1").partitions()).containsAll(leaving).hasSize(6);
    }

    @Test
    void leave_unknownMember_doesNothing() {
        start();

        await(coordinator.leave("g", "nobody"));

        assertThat(await(coordinator.listGroups())).isEmpty();
    }

    @Test
    void rebalance_generationIncreasesOnEveryRebalance() {
        start();
        int first = join("g", "c1", "orders").generationId();
        int second = join("g", "c2", "orders").generationId();
        await(coordinator.leave("g", "c2"));
        int third = assignment("g", "c1").generationId();

        assertThat(first).isLessThan(second);
        assertThat(second).isLessThan(third);
    }

    @Test
    void commit_ownedPartitions_durableAndVisible() {
        start();
        join("g", "c1", "orders");

        await(coordinator.commit("g", "c1", Map.of(tp("orders", 0), 10L, tp("orders", 5), 3L)));

        assertThat(coordinator.committed("g", tp("orders", 0))).isEqualTo(OptionalLong.of(10));
        assertThat(coordinator.committed("g", tp("orders", 5))).isEqualTo(OptionalLong.of(3));
        assertThat(coordinator.committed("g", tp("orders", 1))).isEmpty();
    }

    @Test
    void commit_partitionNotOwned_rejectsWholeRequest() {
        start();
        join("g", "c1", "orders");
        join("g", "c2", "orders");
        TopicPartition owned = first(assignment("g", "c1").partitions());
        TopicPartition notOwned = first(assignment("g", "c2").partitions());

        CompletableFuture<Void> commit = coordinator.commit("g", "c1", Map.of(owned, 10L, notOwned, 20L));

        assertThat(errorCode(commit)).isEqualTo(ErrorCode.PARTITION_NOT_OWNED);
        assertThat(errorMessage(commit)).isEqualTo("partition " + notOwned + " is not owned by consumer c1");
        assertThat(coordinator.committed("g", owned)).isEmpty();
        assertThat(coordinator.committed("g", notOwned)).isEmpty();
    }

    @Test
    void commit_afterPartitionMovedAway_rejected() {
        start();
        join("g", "c1", "orders");
        await(coordinator.commit("g", "c1", Map.of(tp("orders", 5), 1L)));
        join("g", "c2", "orders");
        TopicPartition moved = first(assignment("g", "c2").partitions());

        assertThat(errorCode(coordinator.commit("g", "c1", Map.of(moved, 99L))))
                .isEqualTo(ErrorCode.PARTITION_NOT_OWNED);
        assertThat(coordinator.committed("g", moved)).isNotEqualTo(OptionalLong.of(99));
    }

    @Test
    void commit_unknownMember_consumerNotFound() {
        start();
        join("g", "c1", "orders");

        assertThat(errorCode(coordinator.commit("g", "ghost", Map.of(tp("orders", 0), 1L))))
                .isEqualTo(ErrorCode.CONSUMER_NOT_FOUND);
        assertThat(errorCode(coordinator.commit("other", "c1", Map.of(tp("orders", 0), 1L))))
                .isEqualTo(ErrorCode.CONSUMER_NOT_FOUND);
    }

    @Test
    void commit_negativeOffset_invalidArgumentAndNothingCommitted() {
        start();
        join("g", "c1", "orders");

        assertThat(errorCode(coordinator.commit("g", "c1", Map.of(tp("orders", 0), 5L, tp("orders", 1), -1L))))
                .isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(coordinator.committed("g", tp("orders", 0))).isEmpty();
    }

    @Test
    void commit_appendFails_failsTheCommitAndAppliesNothing() {
        start();
        join("g", "c1", "orders");
        logs.failAppends = true;

        assertThat(errorCode(coordinator.commit("g", "c1", Map.of(tp("orders", 0), 5L))))
                .isEqualTo(ErrorCode.STORAGE_UNAVAILABLE);
        assertThat(coordinator.committed("g", tp("orders", 0))).isEmpty();
        logs.failAppends = false;
        await(coordinator.commit("g", "c1", Map.of(tp("orders", 0), 6L)));
        assertThat(coordinator.committed("g", tp("orders", 0))).isEqualTo(OptionalLong.of(6));
    }

    /** C5 with group commit: commits queued while the coordinator is busy share one append. */
    @Test
    void commit_queuedTogether_shareOneAppend() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        topics.put("slow", 1);
        GroupCoordinator coordinator = GroupCoordinator.start(
                new CoordinatorConfig(dataDir.resolve("offsets"), 100_000, 1024),
                topic -> {
                    if (topic.equals("slow")) {
                        entered.countDown();
                        awaitLatch(release);
                    }
                    return metadata.partitionCount(topic);
                },
                new ManualTime(),
                logs);
        started.add(coordinator);
        await(coordinator.join("g", "c1", Set.of("orders"), "host"));
        CompletableFuture<MemberAssignment> blocker = coordinator.join("g", "c2", Set.of("slow"), "host");
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
        List<CompletableFuture<Void>> commits = new ArrayList<>();
        for (int partition = 0; partition < 6; partition++) {
            commits.add(coordinator.commit("g", "c1", Map.of(tp("orders", partition), 100L + partition)));
        }
        int appendsBefore = logs.appends.size();

        release.countDown();
        await(blocker);
        CompletableFuture.allOf(commits.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);

        assertThat(logs.appends.subList(appendsBefore, logs.appends.size())).containsExactly(6);
        assertThat(coordinator.committed("g", tp("orders", 5))).isEqualTo(OptionalLong.of(105));
    }

    @Test
    void committed_survivesCloseAndReopen() {
        start();
        join("g", "c1", "orders");
        await(coordinator.commit("g", "c1", Map.of(tp("orders", 0), 10L, tp("orders", 1), 11L)));
        await(coordinator.commit("g", "c1", Map.of(tp("orders", 0), 12L)));
        coordinator.close();

        start();

        assertThat(coordinator.committed("g", tp("orders", 0))).isEqualTo(OptionalLong.of(12));
        assertThat(coordinator.committed("g", tp("orders", 1))).isEqualTo(OptionalLong.of(11));
        GroupDescription group = await(coordinator.describeGroup("g")).orElseThrow();
        assertThat(group.state()).isEqualTo(GroupState.EMPTY);
        assertThat(group.committed()).containsEntry(tp("orders", 0), 12L);
    }

    @Test
    void committed_compactedLog_keepsEveryOffsetAcrossReopen() throws Exception {
        start(4);
        join("g", "c1", "orders");
        for (int round = 0; round < 5; round++) {
            for (int partition = 0; partition < 6; partition++) {
                await(coordinator.commit("g", "c1", Map.of(tp("orders", partition), 10L * round + partition)));
            }
        }
        coordinator.close();

        try (Stream<Path> entries = Files.list(dataDir.resolve("__consumer_offsets"))) {
            List<String> names = entries.map(p -> p.getFileName().toString()).toList();
            assertThat(names).anyMatch(name -> name.endsWith(".snapshot"));
            assertThat(names).noneMatch(name -> name.equals("log-00000000000000000000"));
        }
        start(4);
        for (int partition = 0; partition < 6; partition++) {
            assertThat(coordinator.committed("g", tp("orders", partition))).isEqualTo(OptionalLong.of(40L + partition));
        }
    }

    @Test
    void topicDeleted_membersLoseItsPartitionsAndOffsets() {
        start();
        join("g", "c1", "orders", "events");
        await(coordinator.commit("g", "c1", Map.of(tp("events", 0), 7L, tp("orders", 0), 8L)));
        int generation = assignment("g", "c1").generationId();

        topics.remove("events");
        await(coordinator.topicDeleted("events"));

        MemberAssignment after = assignment("g", "c1");
        assertThat(after.partitions()).containsExactlyElementsOf(tps("orders", 0, 1, 2, 3, 4, 5));
        assertThat(after.generationId()).isGreaterThan(generation);
        assertThat(coordinator.committed("g", tp("events", 0))).isEmpty();
        assertThat(coordinator.committed("g", tp("orders", 0))).isEqualTo(OptionalLong.of(8));
    }

    @Test
    void topicCreatedAgain_subscribersGetItsPartitionsBack() {
        start();
        join("g", "c1", "orders", "events");
        join("g", "c2", "events");
        topics.remove("events");
        await(coordinator.topicDeleted("events"));
        assertThat(assignment("g", "c2").partitions()).isEmpty();

        topics.put("events", 4);
        await(coordinator.topicCreated("events", 4));

        Set<TopicPartition> events = new HashSet<>(assignment("g", "c1").partitions());
        events.addAll(assignment("g", "c2").partitions());
        assertThat(events).containsAll(tps("events", 0, 1, 2, 3));
        assertThat(assignment("g", "c2").partitions()).isNotEmpty();
    }

    @Test
    void topicCreated_morePartitions_rebalancesSubscribers() {
        start();
        join("g", "c1", "events");
        join("g", "c2", "events");

        topics.put("events", 4);
        await(coordinator.topicCreated("events", 4));

        assertThat(assignment("g", "c1").partitions()).hasSize(2);
        assertThat(assignment("g", "c2").partitions()).hasSize(2);
    }

    @Test
    void assignManually_excludedFromBalancing_othersRebalanceAroundIt() {
        start();
        join("g", "c1", "orders");
        join("g", "c2", "orders");
        join("g", "m", "orders");

        MemberAssignment manual = await(coordinator.assignManually("g", "m", Map.of("orders", Set.of(0, 1, 2, 3))));

        assertThat(manual.partitions()).containsExactlyElementsOf(tps("orders", 0, 1, 2, 3));
        assertThat(assignment("g", "c1").partitions()).hasSize(1).doesNotContainAnyElementsOf(manual.partitions());
        assertThat(assignment("g", "c2").partitions()).hasSize(1).doesNotContainAnyElementsOf(manual.partitions());
        MemberDescription described = await(coordinator.describeGroup("g")).orElseThrow().members().stream()
                .filter(member -> member.memberId().equals("m"))
                .findFirst()
                .orElseThrow();
        assertThat(described.manual()).isTrue();
    }

    @Test
    void assignManually_partitionOfAnotherManualMember_rejected() {
        start();
        join("g", "m1", "orders");
        join("g", "m2", "orders");
        await(coordinator.assignManually("g", "m1", Map.of("orders", Set.of(0, 1))));

        CompletableFuture<MemberAssignment> second =
                coordinator.assignManually("g", "m2", Map.of("orders", Set.of(1, 2)));

        assertThat(errorCode(second)).isEqualTo(ErrorCode.PARTITION_NOT_OWNED);
        assertThat(errorMessage(second)).contains("orders-1", "m1");
        assertThat(assignment("g", "m1").partitions()).containsExactlyElementsOf(tps("orders", 0, 1));
    }

    @Test
    void assignManually_unknownTopicOrPartition_notFound() {
        start();
        join("g", "m", "orders");

        assertThat(errorCode(coordinator.assignManually("g", "m", Map.of("nope", Set.of(0)))))
                .isEqualTo(ErrorCode.TOPIC_NOT_FOUND);
        assertThat(errorCode(coordinator.assignManually("g", "m", Map.of("orders", Set.of(6)))))
                .isEqualTo(ErrorCode.PARTITION_NOT_FOUND);
        assertThat(errorCode(coordinator.assignManually("g", "ghost", Map.of("orders", Set.of(0)))))
                .isEqualTo(ErrorCode.CONSUMER_NOT_FOUND);
    }

    @Test
    void join_manualMemberJoinsAgain_isBalancedAgain() {
        start();
        join("g", "c1", "orders");
        join("g", "m", "orders");
        await(coordinator.assignManually("g", "m", Map.of("orders", Set.of(0))));

        join("g", "m", "orders");

        assertThat(assignment("g", "m").partitions()).hasSize(3);
        assertThat(assignment("g", "c1").partitions()).hasSize(3);
    }

    @Test
    void listAndDescribe_showMembersStatesAndOffsets() {
        start();
        await(coordinator.join("g", "c1", Set.of("orders"), "10.0.0.1"));
        join("g", "c2", "orders");
        join("h", "c3", "events");
        await(coordinator.commit("h", "c3", Map.of(tp("events", 1), 4L)));

        assertThat(await(coordinator.listGroups()))
                .containsExactly(
                        new GroupSummary("g", GroupState.STABLE, 2), new GroupSummary("h", GroupState.STABLE, 1));
        GroupDescription g = await(coordinator.describeGroup("g")).orElseThrow();
        assertThat(g.members()).extracting(MemberDescription::memberId).containsExactly("c1", "c2");
        assertThat(g.members().getFirst().clientHost()).isEqualTo("10.0.0.1");
        assertThat(g.members().getFirst().assignment())
                .isEqualTo(assignment("g", "c1").partitions());
        assertThat(g.generationId()).isEqualTo(assignment("g", "c1").generationId());

        await(coordinator.leave("g", "c1"));
        await(coordinator.leave("g", "c2"));
        await(coordinator.leave("h", "c3"));

        assertThat(await(coordinator.listGroups())).containsExactly(new GroupSummary("h", GroupState.EMPTY, 0));
        assertThat(await(coordinator.describeGroup("g"))).isEmpty();
        assertThat(await(coordinator.describeGroup("h")).orElseThrow().committed())
                .containsExactlyEntriesOf(Map.of(tp("events", 1), 4L));
    }

    @Test
    void futures_completeOffTheCoordinatorThread() throws Exception {
        start();

        String thread = coordinator
                .join("g", "c1", Set.of("orders"), "host")
                .thenApply(assignment -> Thread.currentThread().getName())
                .get(10, TimeUnit.SECONDS);

        assertThat(thread).isNotEqualTo("takhin-group-coordinator");
    }

    @Test
    void close_laterRequestsFailWithShuttingDown() {
        start();
        join("g", "c1", "orders");

        coordinator.close();

        assertThat(errorCode(coordinator.join("g", "c2", Set.of("orders"), "host")))
                .isEqualTo(ErrorCode.SHUTTING_DOWN);
        assertThat(errorCode(coordinator.commit("g", "c1", Map.of(tp("orders", 0), 1L))))
                .isEqualTo(ErrorCode.SHUTTING_DOWN);
        coordinator.close(); // idempotent
    }

    private MemberAssignment join(String group, String member, String... topicNames) {
        return await(coordinator.join(group, member, Set.of(topicNames), "127.0.0.1"));
    }

    private MemberAssignment assignment(String group, String member) {
        return coordinator.assignment(group, member).orElseThrow();
    }

    /** Every partition owned in the group, checking that no two members own the same one. */
    private Set<TopicPartition> owners(String group, String... members) {
        Set<TopicPartition> owned = new HashSet<>();
        for (String member : members) {
            for (TopicPartition partition : assignment(group, member).partitions()) {
                assertThat(owned.add(partition)).as("%s owned twice", partition).isTrue();
            }
        }
        return owned;
    }

    static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(10, TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new AssertionError("future failed: " + e, e);
        }
    }

    static ErrorCode errorCode(CompletableFuture<?> future) {
        return error(future).code();
    }

    static String errorMessage(CompletableFuture<?> future) {
        return error(future).getMessage();
    }

    private static TakhinException error(CompletableFuture<?> future) {
        assertThatThrownBy(() -> future.get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(TakhinException.class);
        try {
            future.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return (TakhinException) e.getCause();
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("unreachable");
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("latch not released");
            }
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static TopicPartition first(Set<TopicPartition> partitions) {
        return partitions.iterator().next();
    }

    private static TopicPartition tp(String topic, int partition) {
        return new TopicPartition(topic, partition);
    }

    private static List<TopicPartition> tps(String topic, int... partitions) {
        List<TopicPartition> list = new ArrayList<>();
        for (int partition : partitions) {
            list.add(tp(topic, partition));
        }
        return list;
    }
}
