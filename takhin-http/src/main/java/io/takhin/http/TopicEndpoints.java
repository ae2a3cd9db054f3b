package io.takhin.http;

import com.fasterxml.jackson.core.JsonGenerator;
import io.takhin.backend.Backend;
import io.takhin.backend.TopicInfo;
import io.takhin.common.TakhinException;
import java.io.IOException;
import java.util.List;

/**
 * {@code /api/topics}: create, list, describe, delete (contract §2). Blocking; runs on the request's
 * virtual thread. Thread-safe (stateless apart from the backend, which is thread-safe).
 */
final class TopicEndpoints {
    private final Backend backend;
    private final int maxPartitionsPerTopic;

    TopicEndpoints(Backend backend, int maxPartitionsPerTopic) {
        this.backend = backend;
        this.maxPartitionsPerTopic = maxPartitionsPerTopic;
    }

    /** POST /api/topics: 201 {"name", "partitions"}. */
    Reply create(Call call) {
        CreateTopicRequest request = CreateTopicRequest.parse(call.jsonBody(), maxPartitionsPerTopic);
        TopicInfo created = backend.topics().create(request.name(), request.partitions());
        byte[] body = Json.bytes(g -> {
            g.writeStartObject();
            g.writeStringField("name", created.name());
            g.writeNumberField("partitions", created.partitionCount());
            g.writeEndObject();
        });
        return Reply.json(201, body).withHeader("Location", "/api/topics/" + created.name());
    }

    /** GET /api/topics: 200, every topic sorted by name. */
    Reply list(Call call) {
        List<TopicInfo> topics = backend.topics().list();
        return Reply.json(200, Json.bytes(g -> {
            g.writeStartArray();
            for (TopicInfo topic : topics) {
                writeTopic(g, topic);
            }
            g.writeEndArray();
        }));
    }

    /** GET /api/topics/{topic}: 200 one topic, 404 if absent. */
    Reply describe(Call call) {
        String name = call.topic();
        TopicInfo topic = backend.topics().describe(name).orElseThrow(() -> TakhinException.topicNotFound(name));
        return Reply.json(200, Json.bytes(g -> writeTopic(g, topic)));
    }

    /** DELETE /api/topics/{topic}: 200 {"message": "topic deleted"}, 404 if absent. */
    Reply delete(Call call) {
        backend.topics().delete(call.topic());
        return Reply.json(200, Json.object("message", "topic deleted"));
    }

    /** {"name", "partition_count", "partitions": [{"id", "log_start_offset", "high_water_mark"}]}. */
    static void writeTopic(JsonGenerator g, TopicInfo topic) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", topic.name());
        g.writeNumberField("partition_count", topic.partitionCount());
        g.writeArrayFieldStart("partitions");
        for (TopicInfo.PartitionInfo partition : topic.partitions()) {
            g.writeStartObject();
            g.writeNumberField("id", partition.id());
            g.writeNumberField("log_start_offset", partition.logStartOffset());
            g.writeNumberField("high_water_mark", partition.highWatermark());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }
}
