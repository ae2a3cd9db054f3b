package io.takhin.coordinator;

import io.takhin.common.TopicPartition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The balanced, sticky assignor: spreads the partitions of a group's subscribed topics over its
 * balanced members. Stateless and deterministic: the result depends only on the arguments, and
 * ties are broken by member id, then by topic and partition.
 *
 * <p>The algorithm, in four steps:
 *
 * <ol>
 *   <li>Keep: every member keeps each partition it owned that still exists, is not manually
 *       assigned and whose topic it still subscribes to.
 *   <li>Orphans: every partition left without an owner goes to the least loaded member subscribed
 *       to its topic. Partitions of topics with few subscribers go first, since they have the
 *       fewest places to go.
 *   <li>Balance: while some member owns a partition that a member with at least two partitions
 *       fewer could own, move one such partition, choosing each time the donor and receiver whose
 *       counts differ most.
 *   <li>Restore: give a partition moved in step 3 back to its previous owner wherever that keeps
 *       the assignment balanced, until none can go back.
 * </ol>
 *
 * <p>What it guarantees (the invariants of the package): every assignable partition whose topic
 * has a subscriber has exactly one owner, a subscriber of its topic (C1, C2); no member owns a
 * partition that an eligible member with at least two partitions fewer could own, so members with
 * the same subscription differ by at most one partition (C2); a partition moves only if its owner is gone or
 * no longer eligible, or if balance needs it: no single moved partition could go back to its
 * previous owner without breaking C2, and in a group whose members share one subscription the
 * number of moves is the minimum any balanced assignment needs (C3). Step 3 terminates because
 * every move lowers the sum of the squared counts by at least two.
 */
final class Assignor {
    private Assignor() {}

    /**
     * Computes the balanced members' new assignment.
     *
     * @param subscriptions each balanced member's subscribed topics, by member id
     * @param partitionCounts the partition count of every topic that exists; other topics have none
     * @param excluded partitions owned by manual members, which balanced members never get
     * @param current each member's previous assignment; entries for other members are ignored
     * @return an entry for every member of {@code subscriptions}, possibly with an empty set
     */
    static SortedMap<String, NavigableSet<TopicPartition>> assign(
            SortedMap<String, Set<String>> subscriptions,
            Map<String, Integer> partitionCounts,
            Set<TopicPartition> excluded,
            Map<String, Set<TopicPartition>> current) {
        SortedMap<String, List<String>> subscribers = subscribers(subscriptions);
        SortedMap<String, NavigableSet<TopicPartition>> owned = new TreeMap<>();
        Map<TopicPartition, String> owners = new HashMap<>();
        for (Map.Entry<String, Set<String>> member : subscriptions.entrySet()) {
            NavigableSet<TopicPartition> kept = new TreeSet<>();
            for (TopicPartition partition : current.getOrDefault(member.getKey(), Set.of())) {
                boolean eligible = member.getValue().contains(partition.topic())
                        && exists(partition, partitionCounts)
                        && !excluded.contains(partition);
                // putIfAbsent guards against a previous assignment that was not exclusive.
                if (eligible && owners.putIfAbsent(partition, member.getKey()) == null) {
                    kept.add(partition);
                }
            }
            owned.put(member.getKey(), kept);
        }
        for (TopicPartition orphan : orphans(subscribers, partitionCounts, excluded, owners)) {
            String receiver = leastLoaded(subscribers.get(orphan.topic()), owned);
            owned.get(receiver).add(orphan);
        }
        while (moveOne(subscribers, owned)) {
            // Each call moves one partition; see the class comment for why this ends.
        }
        restore(subscribers, owned, owners);
        return owned;
    }

    /** The subscribers of each topic, sorted by member id. */
    private static SortedMap<String, List<String>> subscribers(SortedMap<String, Set<String>> subscriptions) {
        SortedMap<String, List<String>> subscribers = new TreeMap<>();
        subscriptions.forEach((memberId, topics) -> {
            for (String topic : topics) {
                subscribers.computeIfAbsent(topic, t -> new ArrayList<>()).add(memberId);
            }
        });
        return subscribers;
    }

    private static boolean exists(TopicPartition partition, Map<String, Integer> partitionCounts) {
        Integer count = partitionCounts.get(partition.topic());
        return count != null && partition.partition() < count;
    }

    /** Partitions that need an owner, those with the fewest eligible members first. */
    private static List<TopicPartition> orphans(
            SortedMap<String, List<String>> subscribers,
            Map<String, Integer> partitionCounts,
            Set<TopicPartition> excluded,
            Map<TopicPartition, String> owners) {
        List<TopicPartition> orphans = new ArrayList<>();
        subscribers.forEach((topic, members) -> {
            int count = partitionCounts.getOrDefault(topic, 0);
            for (int partition = 0; partition < count; partition++) {
                TopicPartition topicPartition = new TopicPartition(topic, partition);
                if (!excluded.contains(topicPartition) && !owners.containsKey(topicPartition)) {
                    orphans.add(topicPartition);
                }
            }
        });
        orphans.sort(Comparator.comparingInt(
                        (TopicPartition p) -> subscribers.get(p.topic()).size())
                .thenComparing(Comparator.naturalOrder()));
        return orphans;
    }

    /** The member with the fewest partitions among {@code candidates}; the smallest id on a tie. */
    private static String leastLoaded(List<String> candidates, Map<String, NavigableSet<TopicPartition>> owned) {
        String best = candidates.getFirst();
        for (String candidate : candidates) {
            if (owned.get(candidate).size() < owned.get(best).size()) {
                best = candidate;
            }
        }
        return best;
    }

    /**
     * Makes the move with the widest gap: from the member that owns a partition an eligible member
     * with at least two partitions fewer could own, to the least loaded such member, choosing the
     * pair whose counts differ most (then the more loaded donor, then the smaller donor id, then the
     * first topic). Widest gap first means a partition moves only to where it is needed most, which
     * avoids moves a later move would have made unnecessary.
     *
     * @return false if the assignment is balanced (nothing to move)
     */
    private static boolean moveOne(
            SortedMap<String, List<String>> subscribers, SortedMap<String, NavigableSet<TopicPartition>> owned) {
        @Nullable String bestDonor = null;
        @Nullable String bestReceiver = null;
        @Nullable String bestTopic = null;
        int bestGap = 1;
        for (Map.Entry<String, NavigableSet<TopicPartition>> donor : owned.entrySet()) {
            int donorCount = donor.getValue().size();
            for (String topic : topics(donor.getValue())) {
                String receiver = leastLoaded(subscribers.get(topic), owned);
                int gap = donorCount - owned.get(receiver).size();
                boolean better = gap > bestGap
                        || (gap == bestGap
                                && bestDonor != null
                                && donorCount > owned.get(bestDonor).size());
                if (gap >= 2 && better) {
                    bestDonor = donor.getKey();
                    bestReceiver = receiver;
                    bestTopic = topic;
                    bestGap = gap;
                }
            }
        }
        if (bestDonor == null || bestReceiver == null || bestTopic == null) {
            return false;
        }
        TopicPartition moved = owned.get(bestDonor)
                .subSet(new TopicPartition(bestTopic, 0), true, new TopicPartition(bestTopic, Integer.MAX_VALUE), true)
                .last();
        owned.get(bestDonor).remove(moved);
        owned.get(bestReceiver).add(moved);
        return true;
    }

    /**
     * Gives moved partitions back to their previous owners where that keeps the assignment
     * balanced, until no single partition can go back. The widest-gap rule alone can move a
     * partition that a later move made unnecessary when subscriptions differ. Each restore puts one
     * more partition back with its previous owner, so this ends.
     *
     * @param previousOwners the owner each kept partition had before step 3
     */
    private static void restore(
            SortedMap<String, List<String>> subscribers,
            SortedMap<String, NavigableSet<TopicPartition>> owned,
            Map<TopicPartition, String> previousOwners) {
        Map<TopicPartition, String> owners = new HashMap<>();
        owned.forEach((member, partitions) -> partitions.forEach(p -> owners.put(p, member)));
        SortedMap<TopicPartition, String> moved = new TreeMap<>();
        previousOwners.forEach((partition, previous) -> {
            if (!previous.equals(owners.get(partition))) {
                moved.put(partition, previous);
            }
        });
        boolean restored = true;
        while (restored && !moved.isEmpty()) {
            restored = false;
            for (var iterator = moved.entrySet().iterator(); iterator.hasNext(); ) {
                var entry = iterator.next();
                TopicPartition partition = entry.getKey();
                String previous = entry.getValue();
                String current = owners.get(partition);
                owned.get(current).remove(partition);
                owned.get(previous).add(partition);
                if (balancedAfterRestore(subscribers, owned, previous, current)) {
                    owners.put(partition, previous);
                    iterator.remove();
                    restored = true;
                } else {
                    owned.get(previous).remove(partition);
                    owned.get(current).add(partition);
                }
            }
        }
    }

    /**
     * True if C2 holds after a partition went from {@code loser} to {@code gainer}, given it held
     * before: only conditions on the gainer's partitions and on the loser as a receiver can break.
     */
    private static boolean balancedAfterRestore(
            SortedMap<String, List<String>> subscribers,
            SortedMap<String, NavigableSet<TopicPartition>> owned,
            String gainer,
            String loser) {
        int gainerCount = owned.get(gainer).size();
        for (String topic : topics(owned.get(gainer))) {
            if (owned.get(leastLoaded(subscribers.get(topic), owned)).size() < gainerCount - 1) {
                return false;
            }
        }
        int loserCount = owned.get(loser).size();
        for (Map.Entry<String, NavigableSet<TopicPartition>> other : owned.entrySet()) {
            if (other.getValue().size() <= loserCount + 1) {
                continue;
            }
            for (String topic : topics(other.getValue())) {
                if (subscribers.get(topic).contains(loser)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static List<String> topics(NavigableSet<TopicPartition> partitions) {
        List<String> topics = new ArrayList<>();
        for (TopicPartition partition : partitions) {
            if (topics.isEmpty() || !topics.getLast().equals(partition.topic())) {
                topics.add(partition.topic());
            }
        }
        return topics;
    }
}
