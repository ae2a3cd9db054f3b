package io.takhin.storage.log;

import io.takhin.storage.record.BatchValidation;
import io.takhin.storage.record.RecordBatch;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * One pass over a segment's batches from a known batch start, as recovery does it: each batch must
 * follow the previous one's offsets (I1), and, when {@code verifyCrc} is set, pass
 * {@link RecordBatch#validate} (I3); otherwise only its header is read. The walk stops at the first
 * batch that fails, and computes the index entries the appends would have made from there (I4).
 * Not thread-safe; confined to the recovering thread.
 */
final class SegmentWalk {
    private static final int SCAN_WINDOW_BYTES = 1 << 20;
    private static final int HEADER_WINDOW_BYTES = 64 << 10;

    final IndexEntries offsets = new IndexEntries();
    final IndexEntries times = new IndexEntries();
    /** Where the walk stopped: the file end, or the start of the first bad batch. */
    long endPosition;
    /** Offset after the last good batch. */
    long endOffset;

    long firstTimestampMs = Segment.NO_TIMESTAMP;
    long maxTimestampMs = Segment.NO_TIMESTAMP;
    /** Max timestamp of the batch the walk started at, to check a time index entry against. */
    long startBatchMaxTimestampMs = Segment.NO_TIMESTAMP;

    int lastIndexedPosition;
    /** Why the walk stopped before the file end, or null. */
    @Nullable
    String problem;

    private SegmentWalk() {}

    /**
     * Walks {@code segment} from {@code startPosition}, a batch start whose base offset should be
     * {@code expectedOffset}, to {@code limitPosition}.
     */
    static SegmentWalk run(
            Segment segment,
            long startPosition,
            long expectedOffset,
            long limitPosition,
            boolean verifyCrc,
            int indexIntervalBytes)
            throws IOException {
        SegmentWalk walk = new SegmentWalk();
        walk.endOffset = expectedOffset;
        walk.lastIndexedPosition = (int) startPosition;
        BatchCursor cursor = new BatchCursor(
                segment, startPosition, limitPosition, verifyCrc ? SCAN_WINDOW_BYTES : HEADER_WINDOW_BYTES);
        while (!cursor.atEnd()) {
            BatchCursor.BatchHeader header = verifyCrc ? walk.validated(cursor) : walk.unverified(cursor);
            if (header == null) {
                break;
            }
            walk.accept((int) cursor.position(), header, indexIntervalBytes);
            cursor.advance(header.sizeBytes());
        }
        walk.endPosition = cursor.position();
        return walk;
    }

    private BatchCursor.@Nullable BatchHeader validated(BatchCursor cursor) throws IOException {
        cursor.ensure(RecordBatch.HEADER_SIZE);
        BatchValidation validation = RecordBatch.validate(cursor.window(), cursor.windowOffset());
        if (validation instanceof BatchValidation.Incomplete incomplete) {
            if (incomplete.requiredBytes() > cursor.remainingBytes()) {
                problem = "torn batch: needs " + incomplete.requiredBytes() + " bytes, the file has "
                        + cursor.remainingBytes();
                return null;
            }
            cursor.ensure(incomplete.requiredBytes());
            validation = RecordBatch.validate(cursor.window(), cursor.windowOffset());
        }
        return switch (validation) {
            case BatchValidation.Valid valid ->
                following(new BatchCursor.BatchHeader(
                        valid.baseOffset(),
                        valid.sizeInBytes(),
                        valid.recordCount(),
                        valid.firstTimestampMs(),
                        valid.maxTimestampMs()));
            case BatchValidation.Corrupt corrupt -> {
                problem = corrupt.reason();
                yield null;
            }
            case BatchValidation.Incomplete incomplete -> {
                problem = "torn batch: needs " + incomplete.requiredBytes() + " bytes";
                yield null;
            }
        };
    }

    private BatchCursor.@Nullable BatchHeader unverified(BatchCursor cursor) throws IOException {
        BatchCursor.BatchHeader header = cursor.header();
        if (!header.present()) {
            problem = "no plausible batch header";
            return null;
        }
        return following(header);
    }

    private BatchCursor.@Nullable BatchHeader following(BatchCursor.BatchHeader header) {
        if (header.baseOffset() != endOffset) {
            problem = "batch base offset " + header.baseOffset() + " does not follow offset " + (endOffset - 1);
            return null;
        }
        return header;
    }

    private void accept(int position, BatchCursor.BatchHeader header, int indexIntervalBytes) {
        if (Segment.needsIndexEntry(position, lastIndexedPosition, indexIntervalBytes)) {
            offsets.append(header.baseOffset(), position);
            times.append(header.maxTimestampMs(), header.baseOffset());
            lastIndexedPosition = position;
        }
        if (position == 0) {
            firstTimestampMs = header.firstTimestampMs();
        }
        if (startBatchMaxTimestampMs == Segment.NO_TIMESTAMP) {
            startBatchMaxTimestampMs = header.maxTimestampMs();
        }
        maxTimestampMs = Math.max(maxTimestampMs, header.maxTimestampMs());
        endOffset = header.nextOffset();
    }
}
