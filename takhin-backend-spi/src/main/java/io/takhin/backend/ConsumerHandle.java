package io.takhin.backend;

import io.takhin.common.TopicPartition;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * One consumer of a group: its share of the partitions and its position on each. The session layer
 * above guarantees at most one {@link #poll} in flight per handle; every other method may run
 * concurrently with a poll and never waits for it. Thread-safe.
 */
public interface ConsumerHandle {
    /** The partitions this consumer owns now, and the group generation that gave them. */
    Assignment assignment();

    /**
     * Completes as soon as at least one record is readable on an owned partition at this consumer's
     * position (not waiting to fill {@code maxRecords}), or after {@code timeout} with no records.
     * The position does not move until {@link Fetch#advance()} is called. The caller may end a poll
     * early by completing the returned future itself (with {@link Fetch#empty()}, when its client
     * went away); the handle then stops waiting and the session may poll again.
     */
    CompletableFuture<Fetch> poll(int maxRecords, long maxBytes, Duration timeout);

    /**
     * Stores {@code offsets} (next offset to read) for the group, durably, before returning.
     *
     * @throws io.takhin.common.TakhinException {@code partition_not_owned} (nothing committed) or
     *     {@code invalid_argument} for an offset above the partition's end
     */
    void commit(Map<TopicPartition, Long> offsets);

    /**
     * Stores this consumer's current position of every owned partition for the group, durably. A
     * position past the partition's end (after a seek) is stored as it is: it is the consumer's own.
     */
    void commitPositions();

    /** The next offset this consumer will read, for every partition it owns. */
    Map<TopicPartition, Long> positions();

    /**
     * Moves the position on an owned partition.
     *
     * @throws io.takhin.common.TakhinException {@code partition_not_owned}
     */
    void seek(TopicPartition partition, SeekTarget target);

    /**
     * Leaves group balancing and owns exactly {@code partitions}.
     *
     * @throws io.takhin.common.TakhinException {@code topic_not_found}, {@code partition_not_found}
     */
    Assignment assign(Map<String, Set<Integer>> partitions);

    /** Leaves the group (its partitions are rebalanced at once) and releases resources. Idempotent. */
    void close();
}
