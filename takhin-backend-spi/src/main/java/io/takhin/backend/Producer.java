package io.takhin.backend;

import java.util.List;

/** Appends records to topics. Thread-safe; blocks until the records are durable (B1). */
public interface Producer {
    /**
     * Appends {@code records} to {@code topic} and returns where each landed, in request order.
     * A record with {@link ProduceRecord#ANY_PARTITION} is placed by its key (Kafka's murmur2) or,
     * without a key, spread across partitions.
     *
     * @throws io.takhin.common.TakhinException {@code topic_not_found}, {@code partition_not_found},
     *     {@code storage_unavailable}
     */
    List<RecordMetadata> produce(String topic, List<ProduceRecord> records);
}
