package io.takhin.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.takhin.backend.SeekTarget;
import io.takhin.backend.SubscribeRequest.OffsetReset;
import io.takhin.common.TakhinException;
import io.takhin.common.TopicNames;
import io.takhin.common.TopicPartition;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The request bodies of the consumer API (contract §1), parsed with the streaming parser and
 * validated at the edge: each is valid by construction, and every error names the field and its
 * allowed range. Immutable records; stateless parsing.
 */
final class ConsumerRequests {
    /** Limits on what a client controls (contract §1). */
    static final int MAX_GROUP_ID_LENGTH = 255;

    static final int MAX_TOPICS = 1000;

    private ConsumerRequests() {}

    /** {@code {"group_id", "topics", "auto_offset_reset", "session_timeout_ms"}}. */
    record Subscribe(String groupId, List<String> topics, OffsetReset autoOffsetReset, Duration sessionTimeout) {
        static Subscribe parse(byte[] body) {
            return Json.read(body, json -> {
                Json.requireObjectStart(json);
                String groupId = null;
                List<String> topics = null;
                OffsetReset reset = OffsetReset.LATEST;
                long sessionTimeoutMs = 30_000;
                while (json.nextToken() == JsonToken.FIELD_NAME) {
                    String field = json.currentName();
                    json.nextToken();
                    switch (field) {
                        case "group_id" -> groupId = Json.string(json, "group_id");
                        case "topics" -> topics = topicList(json);
                        case "auto_offset_reset" -> reset = offsetReset(Json.string(json, "auto_offset_reset"));
                        case "session_timeout_ms" ->
                            sessionTimeoutMs = Json.longInRange(json, "session_timeout_ms", 1000, 300_000);
                        default ->
                            throw Json.unknownField(
                                    "the request body",
                                    field,
                                    "group_id, topics, auto_offset_reset, session_timeout_ms");
                    }
                }
                Json.requireEnd(json);
                return new Subscribe(
                        validGroupId(groupId), required(topics, "topics"), reset, Duration.ofMillis(sessionTimeoutMs));
            });
        }
    }

    /** {@code {"max_records", "timeout_ms", "max_bytes_total"}}; an empty body means all defaults. */
    record Consume(int maxRecords, Duration timeout, long maxBytes) {
        static final Consume DEFAULTS = new Consume(500, Duration.ofMillis(30_000), 1_048_576);

        static Consume parse(byte[] body) {
            if (isBlank(body)) {
                return DEFAULTS;
            }
            return Json.read(body, json -> {
                Json.requireObjectStart(json);
                int maxRecords = DEFAULTS.maxRecords();
                long timeoutMs = DEFAULTS.timeout().toMillis();
                long maxBytes = DEFAULTS.maxBytes();
                while (json.nextToken() == JsonToken.FIELD_NAME) {
                    String field = json.currentName();
                    json.nextToken();
                    switch (field) {
                        case "max_records" -> maxRecords = Json.intInRange(json, "max_records", 1, 10_000);
                        case "timeout_ms" -> timeoutMs = Json.longInRange(json, "timeout_ms", 0, 300_000);
                        case "max_bytes_total" ->
                            maxBytes = Json.longInRange(json, "max_bytes_total", 1024, 104_857_600);
                        default ->
                            throw Json.unknownField(
                                    "the request body", field, "max_records, timeout_ms, max_bytes_total");
                    }
                }
                Json.requireEnd(json);
                return new Consume(maxRecords, Duration.ofMillis(timeoutMs), maxBytes);
            });
        }
    }

    /**
     * {@code {"offsets": {"orders": {"0": 100}}}}; an empty body or {@code {}} means "commit the
     * current positions" ({@code offsets} empty).
     */
    record Commit(Map<TopicPartition, Long> offsets, boolean allPositions) {
        static Commit parse(byte[] body) {
            if (isBlank(body)) {
                return new Commit(Map.of(), true);
            }
            return Json.read(body, json -> {
                Json.requireObjectStart(json);
                Map<TopicPartition, Long> offsets = null;
                while (json.nextToken() == JsonToken.FIELD_NAME) {
                    String field = json.currentName();
                    json.nextToken();
                    if (!field.equals("offsets")) {
                        throw Json.unknownField("the request body", field, "offsets");
                    }
                    offsets = offsetMap(json);
                }
                Json.requireEnd(json);
                return offsets == null ? new Commit(Map.of(), true) : new Commit(offsets, false);
            });
        }
    }

    /** {@code {"topic", "partition", and one of "offset" | "position" | "timestamp"}}. */
    record Seek(TopicPartition partition, SeekTarget target) {
        static Seek parse(byte[] body) {
            return Json.read(body, json -> {
                Json.requireObjectStart(json);
                String topic = null;
                Integer partition = null;
                List<SeekTarget> targets = new ArrayList<>();
                while (json.nextToken() == JsonToken.FIELD_NAME) {
                    String field = json.currentName();
                    json.nextToken();
                    switch (field) {
                        case "topic" -> topic = Json.string(json, "topic");
                        case "partition" -> partition = Json.intInRange(json, "partition", 0, Integer.MAX_VALUE);
                        case "offset" ->
                            targets.add(new SeekTarget.Offset(Json.longInRange(json, "offset", 0, Long.MAX_VALUE)));
                        case "timestamp" ->
                            targets.add(
                                    new SeekTarget.Timestamp(Json.longInRange(json, "timestamp", 0, Long.MAX_VALUE)));
                        case "position" -> targets.add(position(Json.string(json, "position")));
                        default ->
                            throw Json.unknownField(
                                    "the request body", field, "topic, partition, offset, position, timestamp");
                    }
                }
                Json.requireEnd(json);
                String validTopic = required(topic, "topic");
                TopicNames.validate(validTopic);
                if (partition == null) {
                    throw TakhinException.invalidArgument("partition is required");
                }
                if (targets.size() != 1) {
                    throw TakhinException.invalidArgument(
                            "exactly one of offset, position (beginning|end) or timestamp is required, got "
                                    + targets.size());
                }
                return new Seek(new TopicPartition(validTopic, partition), targets.getFirst());
            });
        }

        private static SeekTarget position(String value) {
            return switch (value) {
                case "beginning" -> new SeekTarget.Beginning();
                case "end" -> new SeekTarget.End();
                default ->
                    throw TakhinException.invalidArgument("position must be 'beginning' or 'end', got '" + value + "'");
            };
        }
    }

    /** {@code {"topics": {"orders": [0, 1]}}}. */
    record Assign(Map<String, Set<Integer>> partitions) {
        static Assign parse(byte[] body) {
            return Json.read(body, json -> {
                Json.requireObjectStart(json);
                Map<String, Set<Integer>> partitions = null;
                while (json.nextToken() == JsonToken.FIELD_NAME) {
                    String field = json.currentName();
                    json.nextToken();
                    if (!field.equals("topics")) {
                        throw Json.unknownField("the request body", field, "topics");
                    }
                    partitions = partitionMap(json);
                }
                Json.requireEnd(json);
                return new Assign(required(partitions, "topics"));
            });
        }
    }

    private static Map<String, Set<Integer>> partitionMap(JsonParser json) throws IOException {
        requireObject(json, "topics");
        Map<String, Set<Integer>> result = new LinkedHashMap<>();
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String topic = json.currentName();
            TopicNames.validate(topic);
            if (json.nextToken() != JsonToken.START_ARRAY) {
                throw TakhinException.invalidArgument("topics." + topic + " must be an array of partition numbers, got "
                        + Json.describe(json.currentToken()));
            }
            Set<Integer> ids = new LinkedHashSet<>();
            while (json.nextToken() != JsonToken.END_ARRAY) {
                ids.add(Json.intInRange(json, "topics." + topic + "[]", 0, Integer.MAX_VALUE));
            }
            result.put(topic, ids);
        }
        if (result.size() > MAX_TOPICS) {
            throw TakhinException.invalidArgument(
                    "topics names " + result.size() + " topics; the limit is " + MAX_TOPICS);
        }
        return result;
    }

    private static Map<TopicPartition, Long> offsetMap(JsonParser json) throws IOException {
        requireObject(json, "offsets");
        Map<TopicPartition, Long> result = new LinkedHashMap<>();
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String topic = json.currentName();
            TopicNames.validate(topic);
            if (json.nextToken() != JsonToken.START_OBJECT) {
                throw TakhinException.invalidArgument("offsets." + topic
                        + " must be an object of partition to offset, got " + Json.describe(json.currentToken()));
            }
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String partitionText = json.currentName();
                int partition;
                try {
                    partition = Integer.parseInt(partitionText);
                } catch (NumberFormatException e) {
                    partition = -1;
                }
                // Only the canonical form ("7", not "+7" or "007"), so two keys never name one partition.
                if (partition < 0 || !Integer.toString(partition).equals(partitionText)) {
                    throw TakhinException.invalidArgument(
                            "offsets." + topic + " has key '" + partitionText + "'; partition keys are numbers >= 0");
                }
                json.nextToken();
                String field = "offsets." + topic + "." + partition;
                result.put(new TopicPartition(topic, partition), Json.longInRange(json, field, 0, Long.MAX_VALUE));
            }
        }
        return result;
    }

    private static List<String> topicList(JsonParser json) throws IOException {
        if (json.currentToken() != JsonToken.START_ARRAY) {
            throw TakhinException.invalidArgument(
                    "topics must be an array of topic names, got " + Json.describe(json.currentToken()));
        }
        Set<String> topics = new LinkedHashSet<>();
        while (json.nextToken() != JsonToken.END_ARRAY) {
            String topic = Json.string(json, "topics[]");
            TopicNames.validate(topic);
            topics.add(topic);
        }
        if (topics.isEmpty()) {
            throw TakhinException.invalidArgument("topics must name at least one topic");
        }
        if (topics.size() > MAX_TOPICS) {
            throw TakhinException.invalidArgument(
                    "topics names " + topics.size() + " topics; the limit is " + MAX_TOPICS);
        }
        return List.copyOf(topics);
    }

    private static OffsetReset offsetReset(String value) {
        return switch (value) {
            case "earliest" -> OffsetReset.EARLIEST;
            case "latest" -> OffsetReset.LATEST;
            default ->
                throw TakhinException.invalidArgument(
                        "auto_offset_reset must be 'earliest' or 'latest', got '" + value + "'");
        };
    }

    private static String validGroupId(@Nullable String groupId) {
        String value = required(groupId, "group_id");
        if (value.isEmpty() || value.length() > MAX_GROUP_ID_LENGTH) {
            throw TakhinException.invalidArgument(
                    "group_id must be 1.." + MAX_GROUP_ID_LENGTH + " characters, got " + value.length());
        }
        // The id must be addressable as /api/consumer-groups/{group}: Jetty refuses %2F and %25 in a
        // path as ambiguous, and control characters have no place in an id.
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '/' || c == '%' || Character.isISOControl(c)) {
                throw TakhinException.invalidArgument(
                        "group_id must not contain '/', '%' or control characters" + " (found at index " + i + ")");
            }
        }
        return value;
    }

    private static void requireObject(JsonParser json, String field) {
        if (json.currentToken() != JsonToken.START_OBJECT) {
            throw TakhinException.invalidArgument(
                    field + " must be an object, got " + Json.describe(json.currentToken()));
        }
    }

    private static <T> T required(@Nullable T value, String field) {
        if (value == null) {
            throw TakhinException.invalidArgument(field + " is required");
        }
        return value;
    }

    private static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return false;
            }
        }
        return true;
    }
}
