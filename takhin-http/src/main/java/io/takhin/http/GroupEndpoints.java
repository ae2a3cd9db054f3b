package io.takhin.http;

import io.takhin.backend.Backend;
import io.takhin.backend.GroupAdmin;
import io.takhin.common.ErrorCode;
import io.takhin.common.TakhinException;
import java.util.List;
import java.util.TreeMap;

/** {@code /api/consumer-groups} (contract §4). Blocking; stateless; thread-safe. */
final class GroupEndpoints {
    private final Backend backend;

    GroupEndpoints(Backend backend) {
        this.backend = backend;
    }

    /** GET /api/consumer-groups: [{"group_id", "state", "members"}]. */
    Reply list(Call call) {
        List<GroupAdmin.GroupSummary> groups = backend.groups().list();
        return Reply.json(200, Json.bytes(g -> {
            g.writeStartArray();
            for (GroupAdmin.GroupSummary group : groups) {
                g.writeStartObject();
                g.writeStringField("group_id", group.groupId());
                g.writeStringField("state", group.state());
                g.writeNumberField("members", group.memberCount());
                g.writeEndObject();
            }
            g.writeEndArray();
        }));
    }

    /** GET /api/consumer-groups/{group}: members, committed offsets and lag; 404 if unknown. */
    Reply describe(Call call) {
        String groupId = call.pathParam("group");
        GroupAdmin.GroupDescription group = backend.groups()
                .describe(groupId)
                .orElseThrow(() -> new TakhinException(
                        ErrorCode.GROUP_NOT_FOUND, "consumer group '" + groupId + "' does not exist"));
        return Reply.json(200, Json.bytes(g -> {
            g.writeStartObject();
            g.writeStringField("group_id", group.groupId());
            g.writeStringField("state", group.state());
            g.writeNumberField("generation_id", group.generationId());
            g.writeArrayFieldStart("members");
            for (GroupAdmin.Member member : group.members()) {
                g.writeStartObject();
                g.writeStringField("consumer_id", member.consumerId());
                g.writeStringField("client_host", member.clientHost());
                ConsumerEndpoints.writePartitionsByTopic(g, "assignment", new TreeMap<>(member.assignment()));
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("offsets");
            for (GroupAdmin.PartitionLag offset : group.offsets()) {
                g.writeStartObject();
                g.writeStringField("topic", offset.topic());
                g.writeNumberField("partition", offset.partition());
                g.writeNumberField("committed_offset", offset.committedOffset());
                g.writeNumberField("high_water_mark", offset.highWatermark());
                g.writeNumberField("lag", offset.lag());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }));
    }
}
