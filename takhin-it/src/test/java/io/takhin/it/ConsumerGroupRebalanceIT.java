package io.takhin.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.takhin.it.ConsumerClient.Consumer;
import io.takhin.it.ConsumerClient.Rec;
import io.takhin.it.ConsumerClient.TimedResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Defect 3 of the seeds: members of a group SHARE the partitions (one owner each), and every join,
 * close and expiry rebalances the group at once, balanced and sticky, with a growing generation.
 */
class ConsumerGroupRebalanceIT {
    @RegisterExtension
    static final TakhinServerExtension server = new TakhinServerExtension();

    private static ConsumerClient client() {
        return ConsumerClient.connect(server);
    }

    private static int generation(Consumer consumer) {
        return consumer.assignment().path("generation_id").asInt();
    }

    /** The partitions of {@code members} are pairwise disjoint and together exactly 0..count-1. */
    private static void assertDisjointAndCovering(String topic, int count, List<Consumer> members) {
        List<Set<Integer>> shares = new ArrayList<>();
        for (Consumer member : members) {
            shares.add(member.partitions(topic));
        }
        Set<Integer> union = new TreeSet<>();
        int total = 0;
        for (Set<Integer> share : shares) {
            union.addAll(share);
            total += share.size();
        }
        Set<Integer> all = new TreeSet<>();
        for (int p = 0; p < count; p++) {
            all.add(p);
        }
        assertThat(union).as("shares %s cover every partition", shares).isEqualTo(all);
        assertThat(total).as("shares %s are disjoint", shares).isEqualTo(count);
    }

    @Test
    void subscribe_twoMembersOnFourPartitions_ownDisjointHalvesCoveringAll() {
        ConsumerClient client = client();
        client.createTopic("shared", 4);
        Consumer first = client.subscribe("shared-group", "earliest", "shared");
        assertThat(ConsumerClient.partitionsOf(first.subscribed(), "shared")).containsExactly(0, 1, 2, 3);

        Consumer second = client.subscribe("shared-group", "earliest", "shared");

        assertThat(ConsumerClient.partitionsOf(second.subscribed(), "shared")).hasSize(2);
        assertThat(first.partitions("shared")).hasSize(2);
        assertDisjointAndCovering("shared", 4, List.of(first, second));
        assertThat(second.subscribed().path("generation_id").asInt())
                .isGreaterThan(first.subscribed().path("generation_id").asInt());
    }

    /** Records are shared too: each member receives only records of its own partitions, all of them. */
    @Test
    void consume_twoMembers_eachGetsOnlyItsPartitionsAndTogetherEverything() {
        ConsumerClient client = client();
        client.createTopic("split", 4);
        Consumer first = client.subscribe("split-group", "earliest", "split");
        Consumer second = client.subscribe("split-group", "earliest", "split");
        for (int p = 0; p < 4; p++) {
            client.produceNumbered("split", p, "p" + p, 5);
        }

        List<Rec> firstRecords = first.consumeAtLeast(10, Duration.ofSeconds(10));
        List<Rec> secondRecords = second.consumeAtLeast(10, Duration.ofSeconds(10));

        assertThat(firstRecords).hasSize(10);
        assertThat(secondRecords).hasSize(10);
        assertThat(firstRecords)
                .allSatisfy(r -> assertThat(first.partitions("split")).contains(r.partition()));
        assertThat(secondRecords)
                .allSatisfy(r -> assertThat(second.partitions("split")).contains(r.partition()));
        assertThat(first.consume(100, 0)).isEmpty();
    }

    /** A third member: three disjoint shares covering all, and sticky (only one partition moves). */
    @Test
    void subscribe_thirdMember_threeDisjointSharesAndOnlyOnePartitionMoves() {
        ConsumerClient client = client();
        client.createTopic("three", 4);
        Consumer first = client.subscribe("three-group", "earliest", "three");
        Consumer second = client.subscribe("three-group", "earliest", "three");
        Set<Integer> firstBefore = first.partitions("three");
        Set<Integer> secondBefore = second.partitions("three");
        int generationBefore = generation(first);

        Consumer third = client.subscribe("three-group", "earliest", "three");

        assertDisjointAndCovering("three", 4, List.of(first, second, third));
        assertThat(third.partitions("three")).hasSize(1);
        assertThat(firstBefore).containsAll(first.partitions("three"));
        assertThat(secondBefore).containsAll(second.partitions("three"));
        assertThat(generation(first)).isGreaterThan(generationBefore);
        assertThat(generation(first)).isEqualTo(generation(second)).isEqualTo(generation(third));
    }

    @Test
    void close_oneOfThree_theOthersCoverEverythingAtOnce() {
        ConsumerClient client = client();
        client.createTopic("leave", 4);
        Consumer first = client.subscribe("leave-group", "earliest", "leave");
        Consumer second = client.subscribe("leave-group", "earliest", "leave");
        Consumer third = client.subscribe("leave-group", "earliest", "leave");
        int generationBefore = generation(first);
        Set<Integer> firstBefore = first.partitions("leave");
        Set<Integer> thirdBefore = third.partitions("leave");

        assertThat(second.close().status()).isEqualTo(200);

        assertDisjointAndCovering("leave", 4, List.of(first, third));
        assertThat(first.partitions("leave")).hasSize(2).containsAll(firstBefore);
        assertThat(third.partitions("leave")).hasSize(2).containsAll(thirdBefore);
        assertThat(generation(first)).isGreaterThan(generationBefore);
    }

    /** A member that stops calling expires; its partitions move to the others. */
    @Test
    void session_memberGoesSilent_itsPartitionsMoveToTheOthers() {
        ConsumerClient client = client();
        client.createTopic("silent", 4);
        Consumer active = client.subscribe("silent-group", "earliest", "silent");
        Consumer silent = client.subscribe("silent-group", "earliest", 1000, "silent");
        Set<Integer> silentShare = silent.partitions("silent");
        assertThat(silentShare).hasSize(2);
        int generationBefore = generation(active);

        // Bounded wait on an observable condition: the active member's assignment (GET, a
        // heartbeat for it only) grows to all four; its own 200 ms long polls pace the loop.
        ConsumerClient.await(
                "the silent member's partitions move to the active one",
                Duration.ofSeconds(10),
                () -> active.partitions("silent").size() == 4,
                () -> active.consume(1, 200));

        assertThat(generation(active)).isGreaterThan(generationBefore);
        assertThat(silent.consumeRaw("").status()).isEqualTo(404);
    }

    /** C4: a member whose partition moved away by a rebalance cannot commit it any more. */
    @Test
    void commit_partitionMovedAwayByRebalance_answers409() {
        ConsumerClient client = client();
        client.createTopic("moved", 2);
        client.produceNumbered("moved", 0, "a", 3);
        client.produceNumbered("moved", 1, "b", 3);
        Consumer first = client.subscribe("moved-group", "earliest", "moved");
        first.consumeAtLeast(6, Duration.ofSeconds(10));

        Consumer second = client.subscribe("moved-group", "earliest", "moved");
        int moved = second.partitions("moved").iterator().next();

        HttpApi.Response response = first.commitRaw(ConsumerClient.commitBody("moved", Map.of(moved, 3L)));
        assertThat(response.status()).as(response.body()).isEqualTo(409);
        assertThat(response.code()).isEqualTo("partition_not_owned");
        HttpApi.Response seek = first.seekRaw(HttpApi.json(Map.of("topic", "moved", "partition", moved, "offset", 0)));
        assertThat(seek.status()).isEqualTo(409);
        // The partition's new owner starts where the group had committed: nothing, so earliest.
        assertThat(second.consumeAtLeast(3, Duration.ofSeconds(10)))
                .extracting(Rec::offset)
                .containsExactly(0L, 1L, 2L);
    }

    /** Handoff: the new owner of a moved partition resumes at the group's committed offset. */
    @Test
    void rebalance_movedPartition_newOwnerResumesAtCommittedOffset() {
        ConsumerClient client = client();
        client.createTopic("handoff", 2);
        client.produceNumbered("handoff", 0, "a", 6);
        client.produceNumbered("handoff", 1, "b", 6);
        Consumer first = client.subscribe("handoff-group", "earliest", "handoff");
        first.consumeAtLeast(12, Duration.ofSeconds(10));
        first.commit("handoff", Map.of(0, 4L, 1, 5L));

        Consumer second = client.subscribe("handoff-group", "latest", "handoff");
        int moved = second.partitions("handoff").iterator().next();

        long committed = moved == 0 ? 4 : 5;
        assertThat(second.positions("handoff")).containsExactly(Map.entry(moved, committed));
        assertThat(second.consume(100, 5000)).extracting(Rec::offset).first().isEqualTo(committed);
    }

    /**
     * A partition that moves away and comes back to its former owner (who made no call meanwhile)
     * resumes at the group's committed offset, like any newly owned partition, not at the former
     * owner's old position: the group committed more while another member owned it.
     */
    @Test
    void rebalance_partitionReturnsToFormerOwner_resumesAtCommittedOffset() {
        ConsumerClient client = client();
        client.createTopic("returning", 2);
        client.produceNumbered("returning", 0, "a", 5);
        client.produceNumbered("returning", 1, "b", 5);
        Consumer first = client.subscribe("returning-group", "earliest", "returning");
        first.consumeAtLeast(10, Duration.ofSeconds(10));
        assertThat(first.commitRaw("").status()).isEqualTo(200);

        Consumer second = client.subscribe("returning-group", "earliest", "returning");
        int moved = second.partitions("returning").iterator().next();
        client.produceNumbered("returning", moved, "later", 5);
        assertThat(second.consumeAtLeast(5, Duration.ofSeconds(10)))
                .extracting(Rec::offset)
                .containsExactly(5L, 6L, 7L, 8L, 9L);
        assertThat(second.commitRaw("").status()).isEqualTo(200);
        assertThat(second.close().status()).isEqualTo(200);

        assertThat(first.partitions("returning")).contains(moved);
        assertThat(first.positions("returning"))
                .as("the group committed 10 on partition %d while the second member owned it", moved)
                .containsEntry(moved, 10L);
        assertThat(first.consume(100, 300))
                .as("records the group already processed")
                .isEmpty();
    }

    /**
     * A poll in flight when its partition moves never returns records of that partition: the
     * records produced to it after the move go to the new owner only.
     */
    @Test
    void consume_inFlightWhenItsPartitionMoves_neverReturnsRecordsOfIt() throws Exception {
        ConsumerClient client = client();
        client.createTopic("in-flight", 2);
        Consumer first = client.subscribe("in-flight-group", "earliest", "in-flight");
        CompletableFuture<TimedResponse> poll = first.consumeAsync("{\"timeout_ms\":1500}");
        first.awaitPollInFlight(Duration.ofSeconds(10));

        Consumer second = client.subscribe("in-flight-group", "earliest", "in-flight");
        int moved = second.partitions("in-flight").iterator().next();
        client.produce("in-flight", moved, "for-the-new-owner");

        TimedResponse answer = poll.get(30, TimeUnit.SECONDS);
        assertThat(answer.response().status()).isEqualTo(200);
        assertThat(Rec.all(answer.response().json())).isEmpty();
        assertThat(second.consume(10, 5000)).extracting(Rec::valueText).containsExactly("for-the-new-owner");
    }

    /**
     * A member waiting in a long poll with no partition gains one when another member leaves; a
     * record then produced to it answers the poll at once (the append wakes it), not at its timeout.
     */
    @Test
    void consume_longPollingMemberGainsAPartition_isWokenByTheAppendOnIt() throws Exception {
        ConsumerClient client = client();
        client.createTopic("gain", 1);
        Consumer owner = client.subscribe("gain-group", "earliest", "gain");
        Consumer waiting = client.subscribe("gain-group", "earliest", "gain");
        assertThat(waiting.partitions("gain")).isEmpty();
        CompletableFuture<TimedResponse> poll = waiting.consumeAsync("{\"timeout_ms\":10000}");
        waiting.awaitPollInFlight(Duration.ofSeconds(10));

        assertThat(owner.close().status()).isEqualTo(200);
        assertThat(waiting.partitions("gain")).containsExactly(0);
        long producedAt = System.nanoTime();
        client.produce("gain", 0, "after-gain");

        TimedResponse answer = poll.get(30, TimeUnit.SECONDS);
        assertThat(Rec.all(answer.response().json())).extracting(Rec::valueText).containsExactly("after-gain");
        assertThat((answer.receivedNanos() - producedAt) / 1_000_000)
                .as("ms from the produce to the answer of a poll with timeout_ms 10000")
                .isLessThan(5_000);
    }

    /** Members with different subscriptions: a topic goes only to members subscribed to it. */
    @Test
    void subscribe_differentTopics_eachTopicOnlyToItsSubscribers() {
        ConsumerClient client = client();
        client.createTopic("mixed-a", 2);
        client.createTopic("mixed-b", 2);
        Consumer onlyA = client.subscribe("mixed-group", "earliest", "mixed-a");
        Consumer both = client.subscribe("mixed-group", "earliest", "mixed-a", "mixed-b");

        assertThat(onlyA.partitions("mixed-b")).isEmpty();
        assertThat(both.partitions("mixed-b")).containsExactly(0, 1);
        Set<Integer> aShares = new HashSet<>(onlyA.partitions("mixed-a"));
        aShares.addAll(both.partitions("mixed-a"));
        assertThat(aShares).containsExactly(0, 1);
        // Balanced by member: both own two partitions in total (C2).
        assertThat(onlyA.partitions("mixed-a").size())
                .isEqualTo(both.partitions("mixed-a").size()
                        + both.partitions("mixed-b").size());
    }

    /** More members than partitions: the extra member owns nothing and gets an empty assignment. */
    @Test
    void subscribe_moreMembersThanPartitions_extraMemberOwnsNothing() {
        ConsumerClient client = client();
        client.createTopic("few", 1);
        Consumer first = client.subscribe("few-group", "earliest", "few");
        Consumer second = client.subscribe("few-group", "earliest", "few");

        assertThat(second.subscribed().path("assignment").isObject()).isTrue();
        assertThat(ConsumerClient.partitionsOf(second.subscribed(), "few")).isEmpty();
        assertThat(first.partitions("few")).containsExactly(0);
        assertThat(second.consume(10, 0)).isEmpty();
    }

    /** Groups are independent: each gets every partition and keeps its own committed offsets. */
    @Test
    void subscribe_twoGroups_eachGetsEveryPartitionAndItsOwnOffsets() {
        ConsumerClient client = client();
        client.createTopic("two-groups", 2);
        client.produceNumbered("two-groups", 0, "a", 4);
        Consumer inFirst = client.subscribe("two-groups-first", "earliest", "two-groups");
        Consumer inSecond = client.subscribe("two-groups-second", "earliest", "two-groups");

        assertThat(inFirst.partitions("two-groups")).containsExactly(0, 1);
        assertThat(inSecond.partitions("two-groups")).containsExactly(0, 1);
        inFirst.commit("two-groups", Map.of(0, 3L));
        inFirst.close();
        inSecond.close();

        Consumer againFirst = client.subscribe("two-groups-first", "earliest", "two-groups");
        Consumer againSecond = client.subscribe("two-groups-second", "earliest", "two-groups");
        assertThat(againFirst.positions("two-groups")).containsEntry(0, 3L);
        assertThat(againSecond.positions("two-groups")).containsEntry(0, 0L);
    }

    /**
     * GET assignment answers in the shape of subscribe: its {@code topics} are the consumer's
     * subscription, also while a rebalance left it no partition of one of them.
     */
    @Test
    void getAssignment_memberOwningNoPartitionOfATopic_stillListsItsSubscribedTopics() {
        ConsumerClient client = client();
        client.createTopic("listed-topics", 1);
        client.subscribe("listed-topics-group", "earliest", "listed-topics");
        Consumer idle = client.subscribe("listed-topics-group", "earliest", "listed-topics");
        assertThat(idle.subscribed().path("topics").toString()).isEqualTo("[\"listed-topics\"]");

        JsonNode assignment = idle.assignment();

        assertThat(assignment.path("assignment").toString()).isEqualTo("{}");
        assertThat(assignment.path("topics").toString()).isEqualTo("[\"listed-topics\"]");
    }
}
