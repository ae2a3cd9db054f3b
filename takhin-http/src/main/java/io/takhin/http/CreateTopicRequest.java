package io.takhin.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.takhin.common.TakhinException;
import io.takhin.common.TopicNames;
import java.io.IOException;

/**
 * The body of {@code POST /api/topics}: {@code {"name": "orders", "partitions": 3}}. Both fields are
 * required. Immutable; valid by construction (Kafka's topic name rule, 1..max partitions).
 */
record CreateTopicRequest(String name, int partitions) {
    private static final String FIELDS = "name, partitions";

    /** Parses and validates {@code body}; 400 naming the field otherwise. */
    static CreateTopicRequest parse(byte[] body, int maxPartitionsPerTopic) {
        return Json.read(body, json -> parse(json, maxPartitionsPerTopic));
    }

    private static CreateTopicRequest parse(JsonParser json, int maxPartitionsPerTopic) throws IOException {
        Json.requireObjectStart(json);
        String name = null;
        Integer partitions = null;
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String field = json.currentName();
            json.nextToken();
            switch (field) {
                case "name" -> name = Json.string(json, "name");
                case "partitions" -> partitions = Json.intInRange(json, "partitions", 1, maxPartitionsPerTopic);
                default -> throw Json.unknownField("the request body", field, FIELDS);
            }
        }
        Json.requireEnd(json);
        if (name == null) {
            throw TakhinException.invalidArgument("name is required");
        }
        if (partitions == null) {
            throw TakhinException.invalidArgument("partitions is required (1.." + maxPartitionsPerTopic + ")");
        }
        TopicNames.validate(name);
        return new CreateTopicRequest(name, partitions);
    }
}
