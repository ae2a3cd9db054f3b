package io.takhin.coordinator;

import io.takhin.common.TopicPartition;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
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
    /**
     * One waiter slot per member: the future its (single) parked poll waits on for a new assignment.
     * A new wait replaces the slot's future rather than adding to it, so polls that end without a
     * change leave nothing behind.
     */
    private final ConcurrentHashMap<MemberKey, CompletableFuture<Void>> changeWaiters = new ConcurrentHashMap<>();

    private final RevocationListener revocations;

    PublishedState(RevocationListener revocations) {
        this.revocations = revocations;
    }

    PublishedState() {
        this(RevocationListener.NONE);
    }

    /** A member of a group, as a map key. Immutable. */
    record MemberKey(String groupId, String memberId) {}

    Optional<MemberAssignment> assignment(String groupId, String memberId) {
        return Optional.ofNullable(assignments.get(new MemberKey(groupId, memberId)));
    }

    OptionalLong committed(String groupId, TopicPartition partition) {
        Long offset = committed.get(new OffsetKey(groupId, partition));
        return offset == null ? OptionalLong.empty() : OptionalLong.of(offset);
    }

    /**
     * Completes once the member's published assignment is no longer {@code seen} (by identity; empty
     * = no assignment published), at once if it already is not. Any thread. The future completes on
     * the coordinator thread: dependent stages must be trivial or async.
     */
    CompletableFuture<Void> awaitChange(String groupId, String memberId, Optional<MemberAssignment> seen) {
        MemberKey key = new MemberKey(groupId, memberId);
        CompletableFuture<Void> waiter = new CompletableFuture<>();
        changeWaiters.put(key, waiter);
        // The publisher writes the assignment before it takes the slot; we fill the slot before we
        // read the assignment. Either we see the change here, or the publisher sees our future.
        if (assignments.get(key) != seen.orElse(null)) {
            changeWaiters.remove(key, waiter);
            waiter.complete(null);
        }
        return waiter;
    }

    /** Coordinator thread only. */
    void publish(String groupId, String memberId, MemberAssignment assignment) {
        MemberKey key = new MemberKey(groupId, memberId);
        MemberAssignment previous = assignments.put(key, assignment);
        if (previous != null && !assignment.partitions().containsAll(previous.partitions())) {
            Set<TopicPartition> revoked = new TreeSet<>(previous.partitions());
            revoked.removeAll(assignment.partitions());
            revocations.revoked(groupId, memberId, revoked);
        }
        signalChange(key);
    }

    /** Coordinator thread only. */
    void unpublish(String groupId, String memberId) {
        MemberKey key = new MemberKey(groupId, memberId);
        MemberAssignment previous = assignments.remove(key);
        if (previous != null && !previous.partitions().isEmpty()) {
            revocations.revoked(groupId, memberId, previous.partitions());
        }
        signalChange(key);
    }

    private void signalChange(MemberKey key) {
        CompletableFuture<Void> waiter = changeWaiters.remove(key);
        if (waiter != null) {
            waiter.complete(null);
        }
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
