package io.takhin.coordinator;

import io.takhin.common.ErrorCode;
import io.takhin.common.TakhinException;
import io.takhin.common.Time;
import io.takhin.common.TopicNames;
import io.takhin.common.TopicPartition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * All groups of the coordinator and the handlers of its requests. A handler validates, changes the
 * groups, publishes new assignments and, for commits, adds records to the pending batch that
 * {@link #flush()} makes durable. Not thread-safe; confined to the coordinator thread (the
 * constructor runs on the starting thread, before the coordinator thread exists).
 */
final class GroupManager {
    /** Longest group or member id, in characters; keeps offset records small and ids printable. */
    static final int MAX_ID_LENGTH = 255;

    private final TopicMetadata metadata;
    private final OffsetStore store;
    private final PublishedState published;
    private final Time time;
    private final SortedMap<String, Group> groups = new TreeMap<>();
    /** Partition counts of the topics a member named, kept current by the topic events. */
    private final Map<String, Integer> partitionCounts = new HashMap<>();
    /** Validated changes not yet durable, in request order; written by {@link #flush()}. */
    private final List<OffsetRecord> pending = new ArrayList<>();
    /** Groups changed since the last flush, checked for removal (state DEAD) after it. */
    private final Set<String> touched = new HashSet<>();

    GroupManager(TopicMetadata metadata, OffsetStore store, PublishedState published, Time time) {
        this.metadata = metadata;
        this.store = store;
        this.published = published;
        this.time = time;
        store.offsets().forEach((key, value) -> apply(new OffsetRecord(key, value)));
    }

    /** Adds or re-subscribes a balanced member and rebalances its group. */
    MemberAssignment join(String groupId, String memberId, Set<String> topics, String clientHost) {
        validateId("group id", groupId);
        validateId("member id", memberId);
        if (topics.isEmpty()) {
            throw TakhinException.invalidArgument("topics must not be empty");
        }
        for (String topic : new TreeSet<>(topics)) {
            TopicNames.validate(topic);
            if (partitionCount(topic).isEmpty()) {
                throw TakhinException.topicNotFound(topic);
            }
        }
        Group group = groups.computeIfAbsent(groupId, Group::new);
        touched.add(groupId);
        Optional<Member> existing = group.member(memberId);
        if (existing.isPresent()) {
            existing.get().subscribe(topics, clientHost);
        } else {
            group.add(new Member(memberId, clientHost, topics));
        }
        group.rebalance(partitionCounts, published);
        return snapshot(groupId, memberId);
    }

    /** Removes a member, if it is there, and rebalances the rest of its group at once. */
    void leave(String groupId, String memberId) {
        Group group = groups.get(groupId);
        if (group == null || group.remove(memberId).isEmpty()) {
            return;
        }
        touched.add(groupId);
        // C1: the leaver's snapshot goes before anyone is granted its partitions.
        published.unpublish(groupId, memberId);
        if (!group.members().isEmpty()) {
            group.rebalance(partitionCounts, published);
        }
    }

    /**
     * Takes a member out of balancing: it owns exactly {@code partitions}, and the balanced members
     * of its group are rebalanced around them. A partition another manual member of the group asked
     * for is refused with {@code partition_not_owned} (409): manual assignments never overlap.
     */
    MemberAssignment assignManually(String groupId, String memberId, Map<String, Set<Integer>> partitions) {
        Member member = member(groupId, memberId);
        SortedSet<TopicPartition> wanted = new TreeSet<>();
        for (String topic : new TreeSet<>(partitions.keySet())) {
            TopicNames.validate(topic);
            int count = partitionCount(topic).orElseThrow(() -> TakhinException.topicNotFound(topic));
            for (int partition : new TreeSet<>(partitions.get(topic))) {
                if (partition < 0 || partition >= count) {
                    throw TakhinException.partitionNotFound(topic, partition, count);
                }
                wanted.add(new TopicPartition(topic, partition));
            }
        }
        Group group = groups.get(groupId);
        for (Member other : group.members()) {
            if (other == member || !other.isManual()) {
                continue;
            }
            for (TopicPartition partition : wanted) {
                if (other.manualPartitions().contains(partition)) {
                    throw new TakhinException(
                            ErrorCode.PARTITION_NOT_OWNED,
                            "partition " + partition + " is already assigned manually to consumer " + other.memberId()
                                    + " of group '" + groupId + "'");
                }
            }
        }
        member.assignManually(wanted);
        touched.add(groupId);
        group.rebalance(partitionCounts, published);
        return snapshot(groupId, memberId);
    }

    /** A topic appeared (or grew): rebalances every group with a member interested in it. */
    void topicCreated(String topic, int partitionCount) {
        if (partitionCount < 1) {
            throw TakhinException.invalidArgument(
                    "partition count of topic '" + topic + "' must be >= 1, got " + partitionCount);
        }
        partitionCounts.put(topic, partitionCount);
        rebalanceInterested(topic);
    }

    /**
     * A topic was deleted: its partitions leave every assignment, and every group's committed
     * offsets on it are deleted (tombstones in the pending batch), so that a topic created again
     * under the same name starts without stale offsets. Members keep their subscription: if the
     * topic comes back, they get its partitions again.
     */
    void topicDeleted(String topic) {
        partitionCounts.remove(topic);
        rebalanceInterested(topic);
        Set<OffsetKey> keys = new LinkedHashSet<>();
        for (Group group : groups.values()) {
            for (TopicPartition partition : group.committed().keySet()) {
                if (partition.topic().equals(topic)) {
                    keys.add(new OffsetKey(group.groupId(), partition));
                }
            }
        }
        for (OffsetRecord record : pending) {
            if (record.key().partition().topic().equals(topic)) {
                keys.add(record.key());
            }
        }
        for (OffsetKey key : keys) {
            pending.add(OffsetRecord.tombstone(key));
            touched.add(key.groupId());
        }
    }

    /**
     * Validates a commit and adds it to the pending batch; nothing is visible before
     * {@link #flush()}. All or nothing (C4): every partition must be owned by the member right now.
     * The commit takes effect in request order at this point: a later rebalance in the same batch
     * does not undo it.
     */
    void commit(String groupId, String memberId, Map<TopicPartition, Long> offsets) {
        Member member = member(groupId, memberId);
        SortedMap<TopicPartition, Long> sorted = new TreeMap<>(offsets);
        sorted.forEach((partition, offset) -> {
            if (offset < 0) {
                throw TakhinException.invalidArgument(
                        "offset for partition " + partition + " must be >= 0, got " + offset);
            }
        });
        for (TopicPartition partition : sorted.keySet()) {
            if (!member.assignment().contains(partition)) {
                throw new TakhinException(
                        ErrorCode.PARTITION_NOT_OWNED,
                        "partition " + partition + " is not owned by consumer " + memberId);
            }
        }
        long nowMs = time.wallClockMs();
        sorted.forEach((partition, offset) ->
                pending.add(OffsetRecord.commit(new OffsetKey(groupId, partition), offset, nowMs)));
        touched.add(groupId);
    }

    /**
     * Appends the pending batch to the offsets log as one batch (one fsync), then applies it to the
     * groups and publishes it (C5). Groups left with no members and no offsets are removed.
     *
     * @throws TakhinException if the append fails; the batch is then dropped, nothing is applied
     */
    void flush() {
        try {
            if (!pending.isEmpty()) {
                store.append(pending);
                pending.forEach(this::apply);
            }
        } finally {
            pending.clear();
            for (String groupId : touched) {
                Group group = groups.get(groupId);
                if (group != null && group.state() == GroupState.DEAD) {
                    groups.remove(groupId);
                }
            }
            touched.clear();
        }
    }

    /** Compacts the offsets log if it is due; see {@link OffsetStore#maybeCompact()}. */
    void maybeCompact() {
        store.maybeCompact();
    }

    List<GroupSummary> listGroups() {
        List<GroupSummary> summaries = new ArrayList<>();
        for (Group group : groups.values()) {
            summaries.add(new GroupSummary(
                    group.groupId(), group.state(), group.members().size()));
        }
        return summaries;
    }

    Optional<GroupDescription> describeGroup(String groupId) {
        Group group = groups.get(groupId);
        if (group == null) {
            return Optional.empty();
        }
        List<MemberDescription> members = new ArrayList<>();
        for (Member member : group.members()) {
            members.add(new MemberDescription(
                    member.memberId(), member.clientHost(), member.assignment(), member.isManual()));
        }
        return Optional.of(
                new GroupDescription(groupId, group.state(), group.generationId(), members, group.committed()));
    }

    private void apply(OffsetRecord record) {
        OffsetKey key = record.key();
        CommittedOffset value = record.value();
        if (value == null) {
            Group group = groups.get(key.groupId());
            if (group != null) {
                group.committed().remove(key.partition());
            }
            published.uncommitted(key);
        } else {
            groups.computeIfAbsent(key.groupId(), Group::new).committed().put(key.partition(), value.offset());
            published.committed(key, value.offset());
        }
    }

    private void rebalanceInterested(String topic) {
        for (Group group : groups.values()) {
            if (group.interestedIn(topic)) {
                group.rebalance(partitionCounts, published);
            }
        }
    }

    /** The member, or {@code consumer_not_found} if the group does not have it. */
    private Member member(String groupId, String memberId) {
        Group group = groups.get(groupId);
        @Nullable Member member = group == null ? null : group.member(memberId).orElse(null);
        if (member == null) {
            throw new TakhinException(
                    ErrorCode.CONSUMER_NOT_FOUND,
                    "consumer " + memberId + " is not a member of group '" + groupId + "'");
        }
        return member;
    }

    private MemberAssignment snapshot(String groupId, String memberId) {
        return published
                .assignment(groupId, memberId)
                .orElseThrow(() -> new IllegalStateException(
                        "no published assignment for member " + memberId + " of group '" + groupId + "'"));
    }

    /** The topic's partition count: known, or asked of {@link TopicMetadata} and remembered. */
    private OptionalInt partitionCount(String topic) {
        Integer known = partitionCounts.get(topic);
        if (known != null) {
            return OptionalInt.of(known);
        }
        OptionalInt count = metadata.partitionCount(topic);
        count.ifPresent(c -> partitionCounts.put(topic, c));
        return count;
    }

    private static void validateId(String what, String id) {
        if (id.isEmpty()) {
            throw TakhinException.invalidArgument(what + " must not be empty");
        }
        if (id.length() > MAX_ID_LENGTH) {
            throw TakhinException.invalidArgument(
                    what + " is " + id.length() + " characters long; the limit is " + MAX_ID_LENGTH);
        }
    }
}
