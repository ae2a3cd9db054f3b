package io.takhin.storage.log;

import java.nio.ByteBuffer;

/** The outcome of {@link PartitionLog#read}. Immutable (the buffer is the caller's to consume). */
public sealed interface ReadResult {
    /**
     * Whole record batches (format in {@link io.takhin.storage.record.RecordBatch}) between the
     * buffer's position and limit. The first batch holds {@code fromOffset} but may start before it;
     * decode with {@link io.takhin.storage.record.RecordBatches#forEach}, which skips the records
     * below. Empty when {@code fromOffset} is at or past the high watermark.
     */
    record Records(ByteBuffer batches, long highWatermark) implements ReadResult {}

    /** {@code fromOffset} is below the log start offset: retention deleted it. */
    record OffsetOutOfRange(long logStartOffset, long highWatermark) implements ReadResult {}
}
