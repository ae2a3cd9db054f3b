package io.takhin.coordinator;

import io.takhin.common.TopicPartition;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** A request to the coordinator thread, answered through its future. Immutable (the future aside). */
sealed interface Event {
    /** The future the coordinator completes; callers see it only through an async stage. */
    CompletableFuture<?> result();

    record Join(
            String groupId,
            String memberId,
            Set<String> topics,
            String clientHost,
            CompletableFuture<MemberAssignment> result)
            implements Event {}

    record Leave(String groupId, String memberId, CompletableFuture<Void> result) implements Event {}

    record AssignManually(
            String groupId,
            String memberId,
            Map<String, Set<Integer>> partitions,
            CompletableFuture<MemberAssignment> result)
            implements Event {}

    record TopicCreated(String topic, int partitionCount, CompletableFuture<Void> result) implements Event {}

    record TopicDeleted(String topic, CompletableFuture<Void> result) implements Event {}

    record Commit(String groupId, String memberId, Map<TopicPartition, Long> offsets, CompletableFuture<Void> result)
            implements Event {}

    record ListGroups(CompletableFuture<List<GroupSummary>> result) implements Event {}

    record DescribeGroup(String groupId, CompletableFuture<Optional<GroupDescription>> result) implements Event {}

    /** Ends the loop; the events before it are handled and flushed first. */
    record Stop(CompletableFuture<Void> result) implements Event {}
}
