package io.takhin.coordinator;

import io.takhin.common.TopicPartition;
import java.util.Set;

/**
 * Told, on the coordinator thread, that a member lost partitions: a rebalance moved them, their
 * topic was deleted, or the member left. Called after the member's smaller snapshot is published
 * and before any other member is granted them (C1), so a listener that forgets the member's
 * positions there can never resume a partition from a stale position after it comes back.
 * Implementations must be quick and must not block or call back into the coordinator.
 */
@FunctionalInterface
public interface RevocationListener {
    RevocationListener NONE = (groupId, memberId, partitions) -> {};

    void revoked(String groupId, String memberId, Set<TopicPartition> partitions);
}
