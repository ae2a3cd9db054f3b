package io.takhin.storage.record;

import java.nio.ByteBuffer;

/**
 * Iterates the records of a buffer of whole batches, as {@code PartitionLog.read} returns them,
 * with one reused {@link RecordView} and no other allocation. Stateless; thread-safe.
 */
public final class RecordBatches {
    private RecordBatches() {}

    /**
     * Visits, in order, every record with offset &gt;= {@code fromOffset} in the batches between
     * the buffer's position and limit, until the visitor returns false. Batches that end before
     * {@code fromOffset} are skipped by their header alone. The buffer's position is not moved.
     *
     * @return the offset to continue from: the offset of the record the visitor declined, else one
     *     past the last record visited, else {@code fromOffset} if nothing was visited
     * @throws IllegalArgumentException if the buffer ends inside a batch
     */
    public static long forEach(ByteBuffer batches, long fromOffset, RecordVisitor visitor) {
        RecordView view = new RecordView();
        int position = batches.position();
        int limit = batches.limit();
        long nextOffset = fromOffset;
        while (position < limit) {
            if (limit - position < RecordBatch.HEADER_SIZE
                    || RecordBatch.sizeInBytes(batches, position) > limit - position
                    || RecordBatch.sizeInBytes(batches, position) < RecordBatch.HEADER_SIZE) {
                throw new IllegalArgumentException("buffer ends inside the batch at position " + position);
            }
            int size = RecordBatch.sizeInBytes(batches, position);
            if (RecordBatch.lastOffset(batches, position) >= fromOffset) {
                long baseOffset = RecordBatch.baseOffset(batches, position);
                long firstTimestampMs = RecordBatch.firstTimestampMs(batches, position);
                int recordCount = RecordBatch.recordCount(batches, position);
                int recordPosition = position + RecordBatch.HEADER_SIZE;
                for (int i = 0; i < recordCount; i++) {
                    view.moveTo(batches, recordPosition, baseOffset, firstTimestampMs);
                    recordPosition += view.sizeInBytes();
                    if (view.offset() < fromOffset) {
                        continue;
                    }
                    if (!visitor.visit(view)) {
                        return view.offset();
                    }
                    nextOffset = view.offset() + 1;
                }
            }
            position += size;
        }
        return nextOffset;
    }
}
