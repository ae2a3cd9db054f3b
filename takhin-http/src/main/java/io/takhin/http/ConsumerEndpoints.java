package io.takhin.http;

import com.fasterxml.jackson.core.JsonGenerator;
import io.takhin.backend.Assignment;
import io.takhin.backend.Fetch;
import io.takhin.common.Time;
import io.takhin.common.TopicPartition;
import io.takhin.session.ConsumerSession;
import io.takhin.session.ConsumerSessions;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code /api/consumers}: the seeds' consumer API (contract §1). Everything but consume blocks on the
 * request's virtual thread; consume parks on the poll's future (H6) and encodes the records from
 * the stored bytes when it completes (H5). Thread-safe: stateless apart from the session table.
 */
final class ConsumerEndpoints {

    private final ConsumerSessions sessions;
    private final Time time;

    ConsumerEndpoints(ConsumerSessions sessions, Time time) {
        this.sessions = sessions;
        this.time = time;
    }

    /** POST /api/consumers/subscribe: 200 with the id and the subscriber's share after its join. */
    Reply subscribe(Call call) {
        ConsumerRequests.Subscribe request = ConsumerRequests.Subscribe.parse(call.jsonBody());
        ConsumerSession session = sessions.subscribe(
                request.groupId(),
                request.topics(),
                request.autoOffsetReset(),
                request.sessionTimeout(),
                call.clientHost());
        return assignmentReply(session, session.assignment());
    }

    /** POST /api/consumers/{id}/consume: long poll; the position moves once the reply is written. */
    CompletionStage<Reply> consume(Call call) {
        ConsumerSession session = sessions.get(call.pathParam("consumer_id"));
        ConsumerRequests.Consume request = ConsumerRequests.Consume.parse(call.optionalJsonBody());
        CompletableFuture<Fetch> polled = session.poll(request.maxRecords(), request.maxBytes(), request.timeout());
        // H7: a client that leaves while the poll is parked ends it with nothing delivered.
        ClientGoneWatch watch =
                polled.isDone() ? ClientGoneWatch.NONE : call.watchClientGone(() -> polled.complete(Fetch.empty()));
        return polled.handle((fetch, failure) -> {
            watch.cancel();
            if (failure != null) {
                session.pollDone();
                throw failure instanceof RuntimeException runtime ? runtime : new IllegalStateException(failure);
            }
            Reply reply;
            try {
                session.delivering();
                reply = records(fetch, time.wallClockMs());
            } catch (RuntimeException e) {
                fetch.abandon();
                session.pollDone();
                throw e;
            }
            return reply.withDelivery(delivered -> {
                if (delivered) {
                    fetch.advance();
                } else {
                    fetch.abandon();
                }
                session.pollDone();
            });
        });
    }

    /**
     * 200 {"records": [...], "timestamp": now}; keys and values base64 from the stored bytes, the
     * records encoded ahead if the backend prepared the fetch (H8).
     */
    static Reply records(Fetch fetch, long nowMs) {
        ConsumeResponseEncoder.Body body = EncodeAhead.body(fetch);
        int length = body.finish(nowMs);
        return Reply.json(200, body.bytes(), length);
    }

    /** POST /api/consumers/{id}/commit: explicit offsets, or every current position for an empty body. */
    Reply commit(Call call) {
        ConsumerSession session = sessions.get(call.pathParam("consumer_id"));
        ConsumerRequests.Commit request = ConsumerRequests.Commit.parse(call.optionalJsonBody());
        if (request.allPositions()) {
            session.commitPositions();
        } else {
            session.commit(request.offsets());
        }
        return success("offsets committed");
    }

    /** POST /api/consumers/{id}/seek. */
    Reply seek(Call call) {
        ConsumerSession session = sessions.get(call.pathParam("consumer_id"));
        ConsumerRequests.Seek request = ConsumerRequests.Seek.parse(call.jsonBody());
        session.seek(request.partition(), request.target());
        return success("offset updated");
    }

    /** PUT /api/consumers/{id}/assignment: manual assignment; answers like subscribe. */
    Reply assign(Call call) {
        ConsumerSession session = sessions.get(call.pathParam("consumer_id"));
        ConsumerRequests.Assign request = ConsumerRequests.Assign.parse(call.jsonBody());
        Assignment assignment = session.assign(request.partitions());
        return assignmentReply(session, assignment);
    }

    /** GET /api/consumers/{id}/assignment. */
    Reply assignment(Call call) {
        ConsumerSession session = sessions.get(call.pathParam("consumer_id"));
        return assignmentReply(session, session.assignment());
    }

    /** The subscribe and assignment shape: id, group, topics (the subscription), assignment, generation. */
    private static Reply assignmentReply(ConsumerSession session, Assignment assignment) {
        return Reply.json(200, Json.bytes(g -> {
            g.writeStartObject();
            g.writeStringField("consumer_id", session.id());
            g.writeStringField("group_id", session.groupId());
            g.writeArrayFieldStart("topics");
            for (String topic : session.topics()) {
                g.writeString(topic);
            }
            g.writeEndArray();
            writeAssignmentFields(g, assignment);
            g.writeEndObject();
        }));
    }

    /** GET /api/consumers/{id}/position: {"offsets": {"orders": {"0": 100}}}. */
    Reply position(Call call) {
        ConsumerSession session = sessions.get(call.pathParam("consumer_id"));
        Map<String, Map<Integer, Long>> byTopic = new TreeMap<>();
        for (Map.Entry<TopicPartition, Long> entry : session.positions().entrySet()) {
            byTopic.computeIfAbsent(entry.getKey().topic(), topic -> new TreeMap<>())
                    .put(entry.getKey().partition(), entry.getValue());
        }
        return Reply.json(200, Json.bytes(g -> {
            g.writeStartObject();
            g.writeObjectFieldStart("offsets");
            for (Map.Entry<String, Map<Integer, Long>> topic : byTopic.entrySet()) {
                g.writeObjectFieldStart(topic.getKey());
                for (Map.Entry<Integer, Long> partition : topic.getValue().entrySet()) {
                    g.writeNumberField(Integer.toString(partition.getKey()), partition.getValue());
                }
                g.writeEndObject();
            }
            g.writeEndObject();
            g.writeEndObject();
        }));
    }

    /** DELETE /api/consumers/{id}: the group rebalances at once. */
    Reply close(Call call) {
        sessions.close(call.pathParam("consumer_id"));
        return Reply.json(200, Json.object("message", "consumer closed"));
    }

    /** "assignment": {"orders": [0, 1]}, "generation_id": 3. */
    static void writeAssignmentFields(JsonGenerator g, Assignment assignment) throws IOException {
        writePartitionsByTopic(g, "assignment", assignment.byTopic());
        g.writeNumberField("generation_id", assignment.generationId());
    }

    /** {@code "<field>": {"orders": [0, 1], ...}}, topics in the map's order. */
    static void writePartitionsByTopic(JsonGenerator g, String field, Map<String, List<Integer>> byTopic)
            throws IOException {
        g.writeObjectFieldStart(field);
        for (Map.Entry<String, List<Integer>> topic : byTopic.entrySet()) {
            g.writeArrayFieldStart(topic.getKey());
            for (int partition : topic.getValue()) {
                g.writeNumber(partition);
            }
            g.writeEndArray();
        }
        g.writeEndObject();
    }

    private static Reply success(String message) {
        return Reply.json(200, Json.bytes(g -> {
            g.writeStartObject();
            g.writeBooleanField("success", true);
            g.writeStringField("message", message);
            g.writeEndObject();
        }));
    }
}
