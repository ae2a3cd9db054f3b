package io.takhin.backend.embedded;

import io.takhin.backend.Assignment;
import io.takhin.backend.GroupAdmin;
import io.takhin.common.TopicPartition;
import io.takhin.coordinator.GroupCoordinator;
import io.takhin.coordinator.MemberDescription;
import io.takhin.storage.log.LogManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Group descriptions from the coordinator, with lag from the store's high watermarks. Thread-safe. */
final class EmbeddedGroupAdmin implements GroupAdmin {
    private final GroupCoordinator coordinator;
    private final LogManager logs;

    EmbeddedGroupAdmin(GroupCoordinator coordinator, LogManager logs) {
        this.coordinator = coordinator;
        this.logs = logs;
    }

    @Override
    public List<GroupSummary> list() {
        List<GroupSummary> result = new ArrayList<>();
        for (io.takhin.coordinator.GroupSummary group : Futures.await(coordinator.listGroups())) {
            result.add(new GroupSummary(group.groupId(), group.state().wire(), group.memberCount()));
        }
        return result;
    }

    @Override
    public Optional<GroupDescription> describe(String groupId) {
        return Futures.await(coordinator.describeGroup(groupId)).map(this::describe);
    }

    private GroupDescription describe(io.takhin.coordinator.GroupDescription group) {
        List<Member> members = new ArrayList<>();
        for (MemberDescription member : group.members()) {
            members.add(new Member(
                    member.memberId(),
                    member.clientHost(),
                    new Assignment(group.generationId(), member.assignment()).byTopic()));
        }
        List<PartitionLag> offsets = new ArrayList<>();
        for (Map.Entry<TopicPartition, Long> committed : group.committed().entrySet()) {
            TopicPartition partition = committed.getKey();
            long highWatermark = logs.topic(partition.topic())
                    .filter(topic -> partition.partition() < topic.partitionCount())
                    .map(topic -> topic.partition(partition.partition()).highWatermark())
                    .orElse(committed.getValue());
            offsets.add(
                    new PartitionLag(partition.topic(), partition.partition(), committed.getValue(), highWatermark));
        }
        return new GroupDescription(group.groupId(), group.state().wire(), group.generationId(), members, offsets);
    }
}
