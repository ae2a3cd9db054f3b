package io.takhin.http;

import io.takhin.backend.Backend;
import io.takhin.backend.ProduceRecord;
import io.takhin.backend.RecordMetadata;
import io.takhin.backend.TopicInfo;
import io.takhin.common.ErrorCode;
import io.takhin.common.TakhinException;
import java.util.List;

/**
 * {@code POST /api/topics/{topic}/produce} (contract §3). Blocking: the backend returns once the
 * records are durable, on the request's virtual thread. Thread-safe (stateless).
 *
 * <p>A bad partition is the client's input, so it is 400, not the 404 that {@code partition_not_found}
 * means elsewhere: explicit partitions are checked against the topic before producing, naming the
 * record, and a {@code partition_not_found} from the backend (the topic shrank in between, by a delete
 * and re-create) is answered as {@code invalid_argument} too.
 */
final class ProduceEndpoint {
    private final Backend backend;

    ProduceEndpoint(Backend backend) {
        this.backend = backend;
    }

    Reply produce(Call call) {
        String topic = call.topic();
        RecordFormat keyFormat = RecordFormat.fromQuery(call, "key.format");
        RecordFormat valueFormat = RecordFormat.fromQuery(call, "value.format");
        List<ProduceRecord> records = ProduceRequestParser.parse(call.jsonBody(), keyFormat, valueFormat);
        checkPartitions(topic, records);
        List<RecordMetadata> offsets;
        try {
            offsets = backend.producer().produce(topic, records);
        } catch (TakhinException e) {
            if (e.code() == ErrorCode.PARTITION_NOT_FOUND) {
                throw new TakhinException(ErrorCode.INVALID_ARGUMENT, e.getMessage(), e);
            }
            throw e;
        }
        if (offsets.size() != records.size()) {
            throw new IllegalStateException("backend " + backend.name() + " returned " + offsets.size()
                    + " results for " + records.size() + " records");
        }
        return Reply.json(200, Json.bytes(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("offsets");
            for (RecordMetadata metadata : offsets) {
                g.writeStartObject();
                g.writeNumberField("partition", metadata.partition());
                g.writeNumberField("offset", metadata.offset());
                g.writeNumberField("timestamp", metadata.timestampMs());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }));
    }

    /** Explicit partitions must exist; costs one describe, and only when a record names a partition. */
    private void checkPartitions(String topic, List<ProduceRecord> records) {
        int partitionCount = -1;
        for (int i = 0; i < records.size(); i++) {
            int partition = records.get(i).partition();
            if (partition == ProduceRecord.ANY_PARTITION) {
                continue;
            }
            if (partitionCount < 0) {
                partitionCount = backend.topics()
                        .describe(topic)
                        .map(TopicInfo::partitionCount)
                        .orElseThrow(() -> TakhinException.topicNotFound(topic));
            }
            if (partition >= partitionCount) {
                throw TakhinException.invalidArgument("records[" + i + "].partition is " + partition + " but topic '"
                        + topic + "' has " + partitionCount + " partitions (0.." + (partitionCount - 1) + ")");
            }
        }
    }
}
