package io.takhin.coordinator;

import io.takhin.common.TopicPartition;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What other threads may read without going through the coordinator's queue: every member's
 * current {@link MemberAssignment} and every durable committed offset. Thread-safe: two
 * {@link ConcurrentHashMap}s written only by the coordinator thread and read by any thread. Each
 * write is a volatile write, so a reader that sees a value also sees every write the coordinator
 * thread made before it, in particular the revocations that preceded a grant (C1).
 */
final class PublishedState {
    private final ConcurrentHashMap<MemberKey, MemberAssignment> assignments = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<OffsetKey, Long> committed = new ConcurrentHashMap<>();

    /** A member of a group, as a map key. Immutable. */
    record MemberKey(String groupId, String memberId) {}

    Optional<MemberAssignment> assignment(String groupId, String memberId) {
        return Optional.ofNullable(assignments.get(new MemberKey(groupId, memberId)));
    }

    OptionalLong committed(String groupId, TopicPartition partition) {
        Long offset = committed.get(new OffsetKey(groupId, partition));
        return offset == null ? OptionalLong.empty() : OptionalLong.of(offset);
    }

    /** Coordinator thread only. */
    void publish(String groupId, String memberId, MemberAssignment assignment) {
        assignments.put(new MemberKey(groupId, memberId), assignment);
    }

    /** Coordinator thread only. */
    void unpublish(String groupId, String memberId) {
        assignments.remove(new MemberKey(groupId, memberId));
    }

    /** Coordinator thread only, once the offset is durable (C5). */
    void committed(OffsetKey key, long committedOffset) {
        committed.put(key, committedOffset);
    }

    /** Coordinator thread only, once the deletion is durable. */
    void uncommitted(OffsetKey key) {
        committed.remove(key);
    }
}
