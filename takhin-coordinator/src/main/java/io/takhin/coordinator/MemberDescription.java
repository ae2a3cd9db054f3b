package io.takhin.coordinator;

import io.takhin.common.TopicPartition;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * One member of a described group. Immutable.
 *
 * @param assignment the member's partitions, sorted
 * @param manual true if the member chose its partitions ({@link GroupCoordinator#assignManually})
 *     and is left out of group balancing
 */
public record MemberDescription(String memberId, String clientHost, Set<TopicPartition> assignment, boolean manual) {
    public MemberDescription {
        assignment = Collections.unmodifiableSortedSet(new TreeSet<>(assignment));
    }
}
