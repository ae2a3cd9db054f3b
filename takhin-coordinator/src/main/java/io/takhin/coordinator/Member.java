package io.takhin.coordinator;

import io.takhin.common.TopicPartition;
import java.util.Collections;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * A member of a group: a consumer session of the layer above. Either balanced (it subscribes to
 * topics and the assignor gives it a share) or manual (it named its partitions). Not thread-safe;
 * confined to the coordinator thread.
 */
final class Member {
    private final String memberId;
    private String clientHost;
    private Set<String> subscription;
    /** Non-null for a manual member: the partitions it asked for, existing or not. */
    private @Nullable SortedSet<TopicPartition> manualPartitions;
    /** What the member owns now; equal to the partitions of its last published snapshot. */
    private SortedSet<TopicPartition> assignment = Collections.emptySortedSet();

    Member(String memberId, String clientHost, Set<String> subscription) {
        this.memberId = memberId;
        this.clientHost = clientHost;
        this.subscription = Set.copyOf(subscription);
    }

    String memberId() {
        return memberId;
    }

    String clientHost() {
        return clientHost;
    }

    Set<String> subscription() {
        return subscription;
    }

    boolean isManual() {
        return manualPartitions != null;
    }

    /** The partitions a manual member asked for; empty for a balanced member. */
    SortedSet<TopicPartition> manualPartitions() {
        SortedSet<TopicPartition> partitions = manualPartitions;
        return partitions == null ? Collections.emptySortedSet() : partitions;
    }

    SortedSet<TopicPartition> assignment() {
        return assignment;
    }

    /** True if the member's subscription or manual partitions involve {@code topic}. */
    boolean interestedIn(String topic) {
        if (manualPartitions != null) {
            return manualPartitions.stream()
                    .anyMatch(partition -> partition.topic().equals(topic));
        }
        return subscription.contains(topic);
    }

    /** Makes the member balanced, subscribed to {@code topics}. */
    void subscribe(Set<String> topics, String host) {
        this.subscription = Set.copyOf(topics);
        this.clientHost = host;
        this.manualPartitions = null;
    }

    /** Takes the member out of balancing: it owns {@code partitions} (those that exist). */
    void assignManually(Set<TopicPartition> partitions) {
        this.manualPartitions = Collections.unmodifiableSortedSet(new TreeSet<>(partitions));
    }

    void assignment(SortedSet<TopicPartition> partitions) {
        this.assignment = Collections.unmodifiableSortedSet(new TreeSet<>(partitions));
    }
}
