package io.takhin.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.takhin.common.TopicPartition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.SortedMap;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class AssignorTest {
    private static final int SEQUENCES = 300;
    private static final int STEPS = 40;

    @Test
    void assign_threeMembersSixPartitions_twoEach() {
        var result = Assignor.assign(subscriptions("a", "m1", "m2", "m3"), Map.of("a", 6), Set.of(), Map.of());

        assertThat(result.values())
                .allSatisfy(partitions -> assertThat(partitions).hasSize(2));
        assertThat(result.get("m1")).containsExactly(tp("a", 0), tp("a", 3));
    }

    @Test
    void assign_memberLeaves_onlyItsPartitionsMove() {
        var before = Assignor.assign(subscriptions("a", "m1", "m2", "m3"), Map.of("a", 6), Set.of(), Map.of());

        var after = Assignor.assign(subscriptions("a", "m1", "m3"), Map.of("a", 6), Set.of(), asCurrent(before));

        assertThat(after.get("m1")).containsAll(before.get("m1")).hasSize(3);
        assertThat(after.get("m3")).containsAll(before.get("m3")).hasSize(3);
    }

    @Test
    void assign_newMember_takesOnlyWhatBalanceNeeds() {
        var before = Assignor.assign(subscriptions("a", "m1", "m2"), Map.of("a", 6), Set.of(), Map.of());

        var after = Assignor.assign(subscriptions("a", "m1", "m2", "m3"), Map.of("a", 6), Set.of(), asCurrent(before));

        assertThat(before.get("m1")).containsAll(after.get("m1"));
        assertThat(before.get("m2")).containsAll(after.get("m2"));
        assertThat(after.get("m3")).hasSize(2);
        assertThat(moves(asCurrent(before), after)).isEqualTo(2);
    }

    @Test
    void assign_excludedPartitions_neverAssigned() {
        Set<TopicPartition> excluded = Set.of(tp("a", 0), tp("a", 3));

        var result = Assignor.assign(subscriptions("a", "m1", "m2"), Map.of("a", 4), excluded, Map.of());

        assertThat(owned(result)).containsExactlyInAnyOrder(tp("a", 1), tp("a", 2));
    }

    @Test
    void assign_missingTopic_subscribersGetNothingOfIt() {
        SortedMap<String, Set<String>> subscriptions = new TreeMap<>(Map.of("m1", Set.of("a", "gone")));

        var result = Assignor.assign(subscriptions, Map.of("a", 2), Set.of(), Map.of("m1", Set.of(tp("gone", 0))));

        assertThat(result.get("m1")).containsExactly(tp("a", 0), tp("a", 1));
    }

    @Test
    void assign_differentSubscriptions_eachPartitionGoesToASubscriber() {
        SortedMap<String, Set<String>> subscriptions =
                new TreeMap<>(Map.of("m1", Set.of("a"), "m2", Set.of("a", "b"), "m3", Set.of("b")));

        var result = Assignor.assign(subscriptions, Map.of("a", 3, "b", 3), Set.of(), Map.of());

        assertThat(result.get("m1")).allSatisfy(p -> assertThat(p.topic()).isEqualTo("a"));
        assertThat(result.get("m3")).allSatisfy(p -> assertThat(p.topic()).isEqualTo("b"));
        assertThat(result.values())
                .allSatisfy(partitions -> assertThat(partitions).hasSize(2));
    }

    @Test
    void assign_currentNotExclusive_firstMemberKeepsIt() {
        Map<String, Set<TopicPartition>> current = Map.of("m1", Set.of(tp("a", 0)), "m2", Set.of(tp("a", 0)));

        var result = Assignor.assign(subscriptions("a", "m1", "m2"), Map.of("a", 2), Set.of(), current);

        assertThat(result.get("m1")).containsExactly(tp("a", 0));
        assertThat(result.get("m2")).containsExactly(tp("a", 1));
    }

    /** C1, C2 and C3 (exact minimum of moves) over random sequences where everyone shares one subscription. */
    @Test
    void assign_randomSequencesOneSubscription_balancedExclusiveMinimalMoves() {
        Seeds.run(seed -> {
            SplittableRandom random = Seeds.random(seed);
            for (int sequence = 0; sequence < SEQUENCES; sequence++) {
                Scenario scenario = new Scenario(random, true);
                for (int step = 0; step < STEPS; step++) {
                    scenario.step();
                    var previous = scenario.current;
                    var result = scenario.assign();
                    String context = "sequence " + sequence + " step " + step + ": " + scenario;
                    checkExclusiveAndComplete(scenario, result, context);
                    checkBalanced(scenario, result, context);
                    assertThat(moves(previous, result))
                            .as("moves, " + context)
                            .isEqualTo(minimumMoves(scenario, previous));
                    scenario.current = asCurrent(result);
                }
            }
        });
    }

    /** C1, C2 and C3 (every move from a still-eligible owner is needed) with mixed subscriptions. */
    @Test
    void assign_randomSequencesMixedSubscriptions_balancedExclusiveSticky() {
        Seeds.run(seed -> {
            SplittableRandom random = Seeds.random(seed);
            for (int sequence = 0; sequence < SEQUENCES; sequence++) {
                Scenario scenario = new Scenario(random, false);
                for (int step = 0; step < STEPS; step++) {
                    scenario.step();
                    var previous = scenario.current;
                    var result = scenario.assign();
                    String context = "sequence " + sequence + " step " + step + ": " + scenario;
                    checkExclusiveAndComplete(scenario, result, context);
                    checkBalanced(scenario, result, context);
                    checkEveryMoveNeeded(scenario, previous, result, context);
                    assertThat(scenario.assign())
                            .as("deterministic, " + context)
                            .isEqualTo(result);
                    scenario.current = asCurrent(result);
                }
            }
        });
    }

    /** A random group: members join and leave, topics grow and vanish, partitions are claimed manually. */
    private static final class Scenario {
        private static final List<String> TOPICS = List.of("a", "b", "c");
        final SplittableRandom random;
        final boolean oneSubscription;
        final SortedMap<String, Set<String>> subscriptions = new TreeMap<>();
        final Map<String, Integer> partitionCounts = new HashMap<>();
        final Set<TopicPartition> excluded = new HashSet<>();
        Map<String, Set<TopicPartition>> current = Map.of();
        int nextMember;

        Scenario(SplittableRandom random, boolean oneSubscription) {
            this.random = random;
            this.oneSubscription = oneSubscription;
            for (String topic : TOPICS) {
                partitionCounts.put(topic, random.nextInt(1, 13));
            }
        }

        void step() {
            int action = random.nextInt(100);
            if (action < 40 || subscriptions.isEmpty()) {
                subscriptions.put(String.format("m%03d", nextMember++), subscription());
            } else if (action < 70) {
                List<String> members = new ArrayList<>(subscriptions.keySet());
                subscriptions.remove(members.get(random.nextInt(members.size())));
            } else if (action < 80) {
                String topic = TOPICS.get(random.nextInt(TOPICS.size()));
                partitionCounts.merge(topic, random.nextInt(1, 4), Integer::sum);
            } else if (action < 85 && !oneSubscription) {
                partitionCounts.remove(TOPICS.get(random.nextInt(TOPICS.size())));
            } else if (action < 92) {
                String topic = TOPICS.get(random.nextInt(TOPICS.size()));
                excluded.add(tp(topic, random.nextInt(12)));
            } else if (!excluded.isEmpty()) {
                List<TopicPartition> claims = new ArrayList<>(excluded);
                excluded.remove(claims.get(random.nextInt(claims.size())));
            }
        }

        private Set<String> subscription() {
            if (oneSubscription) {
                return Set.of("a", "b");
            }
            Set<String> topics = new TreeSet<>();
            while (topics.isEmpty()) {
                for (String topic : TOPICS) {
                    if (random.nextBoolean()) {
                        topics.add(topic);
                    }
                }
            }
            return topics;
        }

        SortedMap<String, NavigableSet<TopicPartition>> assign() {
            return Assignor.assign(subscriptions, partitionCounts, excluded, current);
        }

        boolean assignable(TopicPartition partition) {
            return partition.partition() < partitionCounts.getOrDefault(partition.topic(), 0)
                    && !excluded.contains(partition);
        }

        boolean eligible(String member, TopicPartition partition) {
            return subscriptions.get(member).contains(partition.topic()) && assignable(partition);
        }

        @Override
        public String toString() {
            return "subscriptions=" + subscriptions + " counts=" + new TreeMap<>(partitionCounts) + " excluded="
                    + new TreeSet<>(excluded);
        }
    }

    /** C1: every assignable partition of a subscribed topic has exactly one owner, a subscriber. */
    private static void checkExclusiveAndComplete(
            Scenario scenario, SortedMap<String, NavigableSet<TopicPartition>> result, String context) {
        assertThat(result.keySet()).as(context).isEqualTo(scenario.subscriptions.keySet());
        Set<TopicPartition> seen = new HashSet<>();
        result.forEach((member, partitions) -> {
            for (TopicPartition partition : partitions) {
                assertThat(seen.add(partition))
                        .as("%s owned twice, %s", partition, context)
                        .isTrue();
                assertThat(scenario.eligible(member, partition))
                        .as("%s may not own %s, %s", member, partition, context)
                        .isTrue();
            }
        });
        Set<TopicPartition> expected = new HashSet<>();
        scenario.subscriptions
                .values()
                .forEach(topics -> topics.forEach(topic -> {
                    for (int p = 0; p < scenario.partitionCounts.getOrDefault(topic, 0); p++) {
                        if (scenario.assignable(tp(topic, p))) {
                            expected.add(tp(topic, p));
                        }
                    }
                }));
        assertThat(seen).as("owned partitions, " + context).isEqualTo(expected);
    }

    /** C2: no partition could go to an eligible member with two or more partitions fewer. */
    private static void checkBalanced(
            Scenario scenario, SortedMap<String, NavigableSet<TopicPartition>> result, String context) {
        result.forEach((owner, partitions) -> {
            for (TopicPartition partition : partitions) {
                for (String other : scenario.subscriptions.keySet()) {
                    if (scenario.eligible(other, partition)) {
                        assertThat(result.get(other).size())
                                .as(
                                        "%s (%d) vs %s owning %s, %s",
                                        other, result.get(other).size(), owner, partition, context)
                                .isGreaterThanOrEqualTo(partitions.size() - 1);
                    }
                }
            }
        });
        Map<Set<String>, List<Integer>> countsBySubscription = new HashMap<>();
        result.forEach((member, partitions) -> countsBySubscription
                .computeIfAbsent(scenario.subscriptions.get(member), s -> new ArrayList<>())
                .add(partitions.size()));
        countsBySubscription.forEach((subscription, counts) -> assertThat(
                        counts.stream().max(Comparator.naturalOrder()).orElseThrow()
                                - counts.stream().min(Comparator.naturalOrder()).orElseThrow())
                .as("counts of members subscribed to %s, %s", subscription, context)
                .isLessThanOrEqualTo(1));
    }

    /**
     * C3 with mixed subscriptions: a partition taken from an owner that could have kept it was
     * needed for balance, i.e. giving just that partition back would break C2.
     */
    private static void checkEveryMoveNeeded(
            Scenario scenario,
            Map<String, Set<TopicPartition>> previous,
            SortedMap<String, NavigableSet<TopicPartition>> result,
            String context) {
        Map<TopicPartition, String> newOwners = owners(result);
        previous.forEach((oldOwner, partitions) -> {
            if (!scenario.subscriptions.containsKey(oldOwner)) {
                return;
            }
            for (TopicPartition partition : partitions) {
                String newOwner = newOwners.get(partition);
                if (!scenario.eligible(oldOwner, partition) || oldOwner.equals(newOwner)) {
                    continue;
                }
                Map<String, Set<TopicPartition>> undone = new TreeMap<>();
                result.forEach((member, owned) -> undone.put(member, new TreeSet<>(owned)));
                undone.get(newOwner).remove(partition);
                undone.get(oldOwner).add(partition);
                assertThat(isBalanced(scenario, undone))
                        .as(
                                "moving %s from %s to %s was not needed, %s previous=%s result=%s",
                                partition, oldOwner, newOwner, context, previous, result)
                        .isFalse();
            }
        });
    }

    private static boolean isBalanced(Scenario scenario, Map<String, Set<TopicPartition>> assignment) {
        for (Map.Entry<String, Set<TopicPartition>> owner : assignment.entrySet()) {
            for (TopicPartition partition : owner.getValue()) {
                for (String other : scenario.subscriptions.keySet()) {
                    if (scenario.eligible(other, partition)
                            && assignment.get(other).size() < owner.getValue().size() - 1) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    /** The fewest moves of any balanced assignment when every member has the same subscription. */
    private static int minimumMoves(Scenario scenario, Map<String, Set<TopicPartition>> previous) {
        int members = scenario.subscriptions.size();
        if (members == 0) {
            return 0;
        }
        Set<String> topics = scenario.subscriptions.values().iterator().next();
        int assignable = 0;
        for (String topic : topics) {
            for (int p = 0; p < scenario.partitionCounts.getOrDefault(topic, 0); p++) {
                if (scenario.assignable(tp(topic, p))) {
                    assignable++;
                }
            }
        }
        List<Integer> kept = new ArrayList<>();
        for (String member : scenario.subscriptions.keySet()) {
            kept.add((int) previous.getOrDefault(member, Set.of()).stream()
                    .filter(p -> scenario.eligible(member, p))
                    .count());
        }
        kept.sort(Comparator.reverseOrder());
        int floor = assignable / members;
        int atCeiling = assignable % members;
        int best = 0;
        for (int i = 0; i < kept.size(); i++) {
            best += Math.min(kept.get(i), i < atCeiling ? floor + 1 : floor);
        }
        return assignable - best;
    }

    /** Partitions whose owner changed, counting those that had none or whose owner left. */
    private static int moves(
            Map<String, Set<TopicPartition>> previous, SortedMap<String, NavigableSet<TopicPartition>> result) {
        Map<TopicPartition, String> before = owners(previous);
        int moves = 0;
        for (Map.Entry<TopicPartition, String> owner : owners(result).entrySet()) {
            if (!owner.getValue().equals(before.get(owner.getKey()))) {
                moves++;
            }
        }
        return moves;
    }

    private static Map<TopicPartition, String> owners(Map<String, ? extends Set<TopicPartition>> assignment) {
        Map<TopicPartition, String> owners = new HashMap<>();
        assignment.forEach((member, partitions) -> partitions.forEach(p -> owners.put(p, member)));
        return owners;
    }

    private static Set<TopicPartition> owned(SortedMap<String, NavigableSet<TopicPartition>> result) {
        Set<TopicPartition> owned = new HashSet<>();
        result.values().forEach(owned::addAll);
        return owned;
    }

    private static Map<String, Set<TopicPartition>> asCurrent(SortedMap<String, NavigableSet<TopicPartition>> result) {
        return new TreeMap<>(result);
    }

    private static SortedMap<String, Set<String>> subscriptions(String topic, String... members) {
        SortedMap<String, Set<String>> subscriptions = new TreeMap<>();
        for (String member : members) {
            subscriptions.put(member, Set.of(topic));
        }
        return subscriptions;
    }

    private static TopicPartition tp(String topic, int partition) {
        return new TopicPartition(topic, partition);
    }
}
