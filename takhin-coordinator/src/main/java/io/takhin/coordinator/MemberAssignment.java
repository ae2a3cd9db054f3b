package io.takhin.coordinator;

import io.takhin.common.TopicPartition;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * What one member owns, as published by the coordinator thread (C1). Immutable: the coordinator
 * never changes a published snapshot, it publishes a new one, so a reader may compare snapshots by
 * identity to learn that nothing changed in between.
 *
 * <p>Within one rebalance a member may get two snapshots with the same {@code generationId}: first
 * its old partitions minus the revoked ones, then its new partitions (C1). The set of partitions is
 * what a reader must check; the generation only orders rebalances.
 *
 * @param generationId the generation of the rebalance that produced this snapshot
 * @param partitions the partitions the member owns, sorted
 */
public record MemberAssignment(int generationId, Set<TopicPartition> partitions) {
    public MemberAssignment {
        partitions = Collections.unmodifiableSortedSet(new TreeSet<>(partitions));
    }

    /** True if the member owns {@code partition} in this snapshot. */
    public boolean owns(TopicPartition partition) {
        return partitions.contains(partition);
    }
}
