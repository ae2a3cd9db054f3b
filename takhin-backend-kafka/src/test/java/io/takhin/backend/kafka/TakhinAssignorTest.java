package io.takhin.backend.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Subscription;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class TakhinAssignorTest {
    private static TopicPartition tp(String topic, int partition) {
        return new TopicPartition(topic, partition);
    }

    private static Subscription subscribing(String... topics) {
        return new Subscription(List.of(topics));
    }

    @Test
    void manualMember_getsExactlyItsClaims_andBalancedMembersShareTheRest() {
        Map<String, Subscription> subscriptions =
                Map.of("a", subscribing("t"), "b", subscribing("t"), "c", subscribing("t"));
        Map<String, TakhinAssignor.Claims> claims = Map.of(
                "a", new TakhinAssignor.Claims(Set.of(tp("t", 0), tp("t", 1)), Set.of()),
                "b", new TakhinAssignor.Claims(null, Set.of()),
                "c", new TakhinAssignor.Claims(null, Set.of()));

        Map<String, List<TopicPartition>> result = TakhinAssignor.assign(subscriptions, claims, Map.of("t", 4));

        assertThat(result.get("a")).containsExactly(tp("t", 0), tp("t", 1));
        assertThat(result.get("b")).hasSize(1).doesNotContain(tp("t", 0), tp("t", 1));
        assertThat(result.get("c")).hasSize(1).doesNotContain(tp("t", 0), tp("t", 1));
    }

    @Test
    void contestedManualPartition_staysWithTheMemberThatHeldIt() {
        Map<String, Subscription> subscriptions = Map.of("a", subscribing("t"), "b", subscribing("t"));
        Map<String, TakhinAssignor.Claims> claims = Map.of(
                "a", new TakhinAssignor.Claims(Set.of(tp("t", 0)), Set.of()),
                "b", new TakhinAssignor.Claims(Set.of(tp("t", 0)), Set.of(tp("t", 0))));

        Map<String, List<TopicPartition>> result = TakhinAssignor.assign(subscriptions, claims, Map.of("t", 2));

        assertThat(result.get("b")).containsExactly(tp("t", 0));
        assertThat(result.get("a")).isEmpty();
    }

    @Test
    void claimOfAPartitionThatDoesNotExist_isIgnored() {
        Map<String, List<TopicPartition>> result = TakhinAssignor.assign(
                Map.of("a", subscribing("t")),
                Map.of("a", new TakhinAssignor.Claims(Set.of(tp("t", 5), tp("gone", 0)), Set.of())),
                Map.of("t", 2));

        assertThat(result.get("a")).isEmpty();
    }

    /** Random groups: every partition owned once, shares differ by at most one, survivors keep theirs. */
    @Test
    void balancedMembers_areBalancedAndSticky_overRandomGroups() {
        Random random = new Random(42);
        for (int round = 0; round < 500; round++) {
            int partitions = 1 + random.nextInt(24);
            int members = 1 + random.nextInt(8);
            Map<String, Subscription> subscriptions = new TreeMap<>();
            Map<String, TakhinAssignor.Claims> none = new HashMap<>();
            for (int m = 0; m < members; m++) {
                subscriptions.put("m" + m, subscribing("t"));
                none.put("m" + m, new TakhinAssignor.Claims(null, Set.of()));
            }
            Map<String, List<TopicPartition>> first =
                    TakhinAssignor.assign(subscriptions, none, Map.of("t", partitions));
            assertCoveringAndBalanced(first, partitions);

            // One member leaves: the others keep everything they had.
            String leaving = "m" + random.nextInt(members);
            Map<String, Subscription> after = new TreeMap<>(subscriptions);
            after.remove(leaving);
            if (after.isEmpty()) {
                continue;
            }
            Map<String, TakhinAssignor.Claims> owned = new HashMap<>();
            after.keySet().forEach(m -> owned.put(m, new TakhinAssignor.Claims(null, new HashSet<>(first.get(m)))));
            Map<String, List<TopicPartition>> second = TakhinAssignor.assign(after, owned, Map.of("t", partitions));
            assertCoveringAndBalanced(second, partitions);
            for (String member : after.keySet()) {
                assertThat(second.get(member))
                        .as("round %d: %s keeps its partitions", round, member)
                        .containsAll(first.get(member));
            }
        }
    }

    private static void assertCoveringAndBalanced(Map<String, List<TopicPartition>> result, int partitions) {
        Set<TopicPartition> seen = new HashSet<>();
        int min = Integer.MAX_VALUE;
        int max = 0;
        for (List<TopicPartition> share : result.values()) {
            for (TopicPartition partition : share) {
                assertThat(seen.add(partition)).as("%s owned once", partition).isTrue();
            }
            min = Math.min(min, share.size());
            max = Math.max(max, share.size());
        }
        assertThat(seen).hasSize(partitions);
        assertThat(max - min).as("shares differ by at most one: %s", result).isLessThanOrEqualTo(1);
    }

    @Test
    void userData_roundTrips_andForeignDataCountsAsBalanced() {
        var encoded = TakhinAssignor.encode(Set.of(tp("t", 1)), Set.of(tp("t", 1), tp("u", 0)));

        assertThat(TakhinAssignor.decode(encoded))
                .isEqualTo(new TakhinAssignor.Claims(Set.of(tp("t", 1)), Set.of(tp("t", 1), tp("u", 0))));
        assertThat(TakhinAssignor.decode(java.nio.ByteBuffer.wrap(new byte[] {0, 1, 2}))
                        .manual())
                .isNull();
        assertThat(TakhinAssignor.decode(null)).isEqualTo(new TakhinAssignor.Claims(null, Set.of()));
    }
}
