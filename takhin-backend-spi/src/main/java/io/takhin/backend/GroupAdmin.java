package io.takhin.backend;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Read-only view of consumer groups, for {@code /api/consumer-groups}. Thread-safe. */
public interface GroupAdmin {
    /** Every known group (with members or committed offsets), sorted by id. */
    List<GroupSummary> list();

    Optional<GroupDescription> describe(String groupId);

    /** A group in a list. Immutable. */
    record GroupSummary(String groupId, String state, int memberCount) {}

    /** A group in detail: members, committed offsets and lag. Immutable. */
    record GroupDescription(
            String groupId, String state, int generationId, List<Member> members, List<PartitionLag> offsets) {
        public GroupDescription {
            members = List.copyOf(members);
            offsets = List.copyOf(offsets);
        }
    }

    /** A member and its partitions by topic. Immutable. */
    record Member(String consumerId, String clientHost, Map<String, List<Integer>> assignment) {
        public Member {
            assignment = Map.copyOf(assignment);
        }
    }

    /** A committed offset and the lag behind the partition's high watermark. Immutable. */
    record PartitionLag(String topic, int partition, long committedOffset, long highWatermark) {
        public long lag() {
            return Math.max(0, highWatermark - committedOffset);
        }
    }
}
