package io.takhin.backend;

import io.takhin.common.Murmur2;
import io.takhin.common.TakhinException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where every backend puts a produced record. A record with an explicit partition goes there. A
 * keyed record goes to {@code murmur2(key) mod partitions}, exactly as Kafka's default partitioner
 * places it. Records without key and partition in one request all go to one partition, chosen
 * round-robin per request per topic (like Kafka's sticky partitioner): the request then costs one
 * append instead of one per partition, and successive requests spread over all partitions.
 * Thread-safe.
 */
public final class RecordPlacement {
    private final Map<String, AtomicInteger> cursors = new ConcurrentHashMap<>();

    /** The partition for this request's records without key and partition; call once per request. */
    public int stickyPartition(String topic, int partitionCount) {
        return Math.floorMod(
                cursors.computeIfAbsent(topic, name -> new AtomicInteger()).getAndIncrement(), partitionCount);
    }

    /**
     * The record's partition.
     *
     * @throws TakhinException {@code partition_not_found} for an explicit partition out of range
     */
    public static int partition(ProduceRecord record, String topic, int partitionCount, int stickyPartition) {
        if (record.partition() != ProduceRecord.ANY_PARTITION) {
            if (record.partition() < 0 || record.partition() >= partitionCount) {
                throw TakhinException.partitionNotFound(topic, record.partition(), partitionCount);
            }
            return record.partition();
        }
        byte[] key = record.key();
        return key != null ? Murmur2.partitionForKey(key, partitionCount) : stickyPartition;
    }
}
