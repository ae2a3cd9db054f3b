package io.takhin.coordinator;

import io.takhin.common.Time;
import io.takhin.common.TopicPartition;
import io.takhin.storage.log.LogConfig;
import io.takhin.storage.log.PartitionLog;
import io.takhin.storage.log.ReadResult;
import io.takhin.storage.record.AppendRecord;
import io.takhin.storage.record.RecordBatches;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * An {@link OffsetLog} over a {@link PartitionLog}: one record per offset change, key and value as
 * {@link OffsetRecordCodec} encodes them. The partition log brings the batch CRC, the truncation of
 * a torn tail at recovery and the fsync per append. Not thread-safe; confined to the coordinator
 * thread.
 */
final class PartitionOffsetLog implements OffsetLog {
    /** The name the partition log uses in its messages; it is never a topic of the log manager. */
    static final TopicPartition PARTITION = new TopicPartition("__consumer_offsets", 0);

    /**
     * 16 MiB segments; no retention (compaction by snapshot replaces it, and retention must never
     * delete a committed offset); an fsync per append, which {@code append} waits for (C5).
     */
    static final LogConfig CONFIG = LogConfig.defaults()
            .withSegmentBytes(16L << 20)
            .withRetentionBytes(-1)
            .withRetentionMs(-1)
            .withFlushIntervalMs(0);

    private static final int READ_BYTES = 1 << 20;

    private final PartitionLog log;

    private PartitionOffsetLog(PartitionLog log) {
        this.log = log;
    }

    static OffsetLog.Opener opener(Time time) {
        return dir -> new PartitionOffsetLog(PartitionLog.open(dir, PARTITION, CONFIG, time));
    }

    @Override
    public void append(List<OffsetRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        List<AppendRecord> encoded = new ArrayList<>(records.size());
        for (OffsetRecord record : records) {
            encoded.add(new AppendRecord(OffsetRecordCodec.key(record.key()), OffsetRecordCodec.value(record.value())));
        }
        log.append(encoded);
    }

    @Override
    public long replay(Consumer<OffsetRecord> visitor) {
        long offset = log.logStartOffset();
        long count = 0;
        while (offset < log.highWatermark()) {
            ReadResult result = log.read(offset, READ_BYTES);
            if (!(result instanceof ReadResult.Records records)) {
                throw new IllegalStateException("the offsets log " + PARTITION + " lost offset " + offset
                        + " to retention, which it must not have: " + result);
            }
            long[] visited = {0};
            long next = RecordBatches.forEach(records.batches(), offset, record -> {
                ByteBuffer key = record.key();
                if (key == null) {
                    throw new IllegalStateException("offsets log record " + record.offset() + " has no key");
                }
                try {
                    visitor.accept(OffsetRecordCodec.decode(key, record.value()));
                } catch (IllegalArgumentException e) {
                    throw new IllegalStateException(
                            "offsets log record " + record.offset() + " is not an offset record: " + e.getMessage(), e);
                }
                visited[0]++;
                return true;
            });
            if (next == offset) {
                throw new IllegalStateException("no progress replaying the offsets log at offset " + offset);
            }
            count += visited[0];
            offset = next;
        }
        return count;
    }

    @Override
    public void close() {
        log.close();
    }
}
