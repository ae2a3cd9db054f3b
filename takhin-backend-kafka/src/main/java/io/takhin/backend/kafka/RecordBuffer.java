package io.takhin.backend.kafka;

import java.nio.ByteBuffer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One partition's buffered records, oldest first, with each record's offset and size kept beside
 * it. Taking a response's records reads only these arrays, never the records themselves: by then
 * they are long out of the CPU's caches, and touching 10,000 of them to learn their sizes cost more
 * than the rest of the taking. Confined to the consumer's thread (K1); not thread-safe.
 */
final class RecordBuffer {
    private ConsumerRecord<?, ?>[] records = new ConsumerRecord<?, ?>[64];
    private long[] offsets = new long[64];
    /** Key and value bytes: what {@code max_bytes_total} counts. */
    private int[] sizes = new int[64];

    private int head;
    private int count;
    /** The buffer's heap as K2 counts it: sizes plus a fixed estimate per record. */
    private long heapBytes;

    void add(ConsumerRecord<ByteBuffer, ByteBuffer> record, int size) {
        if (count == records.length) {
            grow();
        }
        int at = (head + count) & (records.length - 1);
        records[at] = record;
        offsets[at] = record.offset();
        sizes[at] = size;
        count++;
        heapBytes += size + KafkaConsumerHandle.RECORD_OVERHEAD_BYTES;
    }

    int size() {
        return count;
    }

    boolean isEmpty() {
        return count == 0;
    }

    /** The offset of the last record, or -1 if empty. */
    long lastOffset() {
        return count == 0 ? -1 : offsets[(head + count - 1) & (records.length - 1)];
    }

    @SuppressWarnings("unchecked") // only ConsumerRecord<ByteBuffer, ByteBuffer> are ever added
    ConsumerRecord<ByteBuffer, ByteBuffer> record(int index) {
        return (ConsumerRecord<ByteBuffer, ByteBuffer>) records[slot(index)];
    }

    long offset(int index) {
        return offsets[slot(index)];
    }

    int recordSize(int index) {
        return sizes[slot(index)];
    }

    long heapBytes() {
        return heapBytes;
    }

    /** Drops the {@code n} oldest records. */
    void removeFirst(int n) {
        if (n > count) {
            throw new IllegalArgumentException("removing " + n + " of " + count + " records");
        }
        for (int i = 0; i < n; i++) {
            int at = slot(i);
            records[at] = null; // no longer reachable from here
            heapBytes -= sizes[at] + KafkaConsumerHandle.RECORD_OVERHEAD_BYTES;
        }
        head = slot(n);
        count -= n;
    }

    private int slot(int index) {
        return (head + index) & (records.length - 1);
    }

    private void grow() {
        int capacity = records.length * 2; // stays a power of two, for the masks
        ConsumerRecord<?, ?>[] newRecords = new ConsumerRecord<?, ?>[capacity];
        long[] newOffsets = new long[capacity];
        int[] newSizes = new int[capacity];
        for (int i = 0; i < count; i++) {
            newRecords[i] = records[slot(i)];
            newOffsets[i] = offsets[slot(i)];
            newSizes[i] = sizes[slot(i)];
        }
        records = newRecords;
        offsets = newOffsets;
        sizes = newSizes;
        head = 0;
    }
}
