package io.takhin.backend.kafka;

import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;

/**
 * What one member's {@link TakhinAssignor} needs from its {@link KafkaConsumerHandle}: the
 * partitions it claims by manual assignment (null while it is balanced), what it owned last (for
 * stickiness), and this server's {@link TopicDirectory}. Handed to the assignor through the
 * consumer's configuration. Thread-safe: volatile fields written by the consumer's thread.
 */
final class MemberContext {
    private final TopicDirectory topics;
    private volatile @Nullable Set<TopicPartition> manual;
    private volatile Set<TopicPartition> lastAssigned = Set.of();

    MemberContext(TopicDirectory topics) {
        this.topics = topics;
    }

    TopicDirectory topics() {
        return topics;
    }

    @Nullable
    Set<TopicPartition> manual() {
        return manual;
    }

    void manual(@Nullable Set<TopicPartition> partitions) {
        manual = partitions == null ? null : Set.copyOf(partitions);
    }

    Set<TopicPartition> lastAssigned() {
        return lastAssigned;
    }

    void lastAssigned(Set<TopicPartition> partitions) {
        lastAssigned = Set.copyOf(partitions);
    }
}
