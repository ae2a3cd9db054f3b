package io.takhin.coordinator;

import io.takhin.common.TopicPartition;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A group in detail, for {@code GET /api/consumer-groups/{group}}. Immutable.
 *
 * @param members sorted by member id
 * @param committed the durable committed offsets (next offset to read), sorted by partition
 */
public record GroupDescription(
        String groupId,
        GroupState state,
        int generationId,
        List<MemberDescription> members,
        Map<TopicPartition, Long> committed) {
    public GroupDescription {
        members = List.copyOf(members);
        committed = Collections.unmodifiableSortedMap(new TreeMap<>(committed));
    }
}
