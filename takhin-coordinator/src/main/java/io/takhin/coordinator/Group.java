package io.takhin.coordinator;

import io.takhin.common.TopicPartition;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A consumer group: its members, its generation and its durable committed offsets. Not
 * thread-safe; confined to the coordinator thread.
 */
final class Group {
    private final String groupId;
    private int generationId;
    private final SortedMap<String, Member> members = new TreeMap<>();
    /** Durable committed offsets only (C5): a pending commit is not here until it is fsynced. */
    private final SortedMap<TopicPartition, Long> committed = new TreeMap<>();

    Group(String groupId) {
        this.groupId = groupId;
    }

    String groupId() {
        return groupId;
    }

    int generationId() {
        return generationId;
    }

    GroupState state() {
        if (!members.isEmpty()) {
            return GroupState.STABLE;
        }
        return committed.isEmpty() ? GroupState.DEAD : GroupState.EMPTY;
    }

    Optional<Member> member(String memberId) {
        return Optional.ofNullable(members.get(memberId));
    }

    Collection<Member> members() {
        return members.values();
    }

    void add(Member member) {
        members.put(member.memberId(), member);
    }

    /** Removes the member; the caller unpublishes its snapshot before rebalancing (C1). */
    Optional<Member> remove(String memberId) {
        return Optional.ofNullable(members.remove(memberId));
    }

    SortedMap<TopicPartition, Long> committed() {
        return committed;
    }

    /** True if any member subscribes to {@code topic} or asked for one of its partitions. */
    boolean interestedIn(String topic) {
        return members.values().stream().anyMatch(member -> member.interestedIn(topic));
    }

    /**
     * Starts a new generation: computes every member's share and publishes it, revoking before
     * granting (C1). Manual members own the partitions they asked for that exist; balanced members
     * share the rest of their topics' partitions through the {@link Assignor}.
     *
     * @param partitionCounts the partition count of every existing topic the coordinator knows
     */
    void rebalance(Map<String, Integer> partitionCounts, PublishedState published) {
        generationId++;
        SortedMap<String, SortedSet<TopicPartition>> target = new TreeMap<>();
        Set<TopicPartition> manuallyOwned = new HashSet<>();
        SortedMap<String, Set<String>> subscriptions = new TreeMap<>();
        Map<String, Set<TopicPartition>> current = new HashMap<>();
        for (Member member : members.values()) {
            if (member.isManual()) {
                SortedSet<TopicPartition> owned = new TreeSet<>();
                for (TopicPartition partition : member.manualPartitions()) {
                    if (partition.partition() < partitionCounts.getOrDefault(partition.topic(), 0)) {
                        owned.add(partition);
                    }
                }
                target.put(member.memberId(), owned);
                manuallyOwned.addAll(owned);
            } else {
                subscriptions.put(member.memberId(), member.subscription());
                current.put(member.memberId(), member.assignment());
            }
        }
        SortedMap<String, NavigableSet<TopicPartition>> balanced =
                Assignor.assign(subscriptions, partitionCounts, manuallyOwned, current);
        target.putAll(balanced);
        checkExclusive(target);
        publish(target, published);
    }

    /** C1 on the coordinator's side: the new generation gives each partition to one member at most. */
    private void checkExclusive(SortedMap<String, SortedSet<TopicPartition>> target) {
        Map<TopicPartition, String> owners = new HashMap<>();
        target.forEach((memberId, partitions) -> {
            for (TopicPartition partition : partitions) {
                String previous = owners.put(partition, memberId);
                if (previous != null) {
                    throw new IllegalStateException("C1 broken: generation " + generationId + " of group '" + groupId
                            + "' gives " + partition + " to both " + previous + " and " + memberId);
                }
            }
        });
    }

    /**
     * Publishes the new generation in two passes (C1): first every member that loses partitions
     * gets a snapshot without them, then every member gets its new snapshot. Both passes run on the
     * coordinator thread, so no reader can see a partition in the new owner's snapshot while the old
     * owner's snapshot still has it.
     */
    private void publish(SortedMap<String, SortedSet<TopicPartition>> target, PublishedState published) {
        Set<String> revokedOnly = new HashSet<>();
        for (Member member : members.values()) {
            SortedSet<TopicPartition> next = target.get(member.memberId());
            if (!next.containsAll(member.assignment())) {
                SortedSet<TopicPartition> kept = new TreeSet<>(member.assignment());
                kept.retainAll(next);
                published.publish(groupId, member.memberId(), new MemberAssignment(generationId, kept));
                if (kept.equals(next)) {
                    revokedOnly.add(member.memberId());
                }
            }
        }
        for (Member member : members.values()) {
            SortedSet<TopicPartition> next = target.get(member.memberId());
            member.assignment(next);
            if (!revokedOnly.contains(member.memberId())) {
                published.publish(groupId, member.memberId(), new MemberAssignment(generationId, next));
            }
        }
    }
}
