package io.takhin.storage.log;

import io.takhin.storage.record.RecordBatch;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Walks the batches of one segment front to back through a read-ahead window, so that looking at
 * many small batch headers costs one read per window rather than one per batch. The cursor does not
 * interpret the bytes; callers check headers or validate whole batches at {@link #windowOffset()}.
 * Not thread-safe; confined to the calling thread.
 */
final class BatchCursor {
    private final Segment segment;
    private final long limitPosition;
    private ByteBuffer window;
    private long windowStart;
    private long position;

    /**
     * @param limitPosition the cursor never reads at or past this position (the file size, or the
     *     high watermark's position for readers)
     */
    BatchCursor(Segment segment, long startPosition, long limitPosition, int windowBytes) {
        this.segment = segment;
        this.limitPosition = limitPosition;
        this.window = ByteBuffer.allocate(windowBytes).limit(0);
        this.windowStart = startPosition;
        this.position = startPosition;
    }

    /** File position of the current batch. */
    long position() {
        return position;
    }

    long remainingBytes() {
        return limitPosition - position;
    }

    boolean atEnd() {
        return position >= limitPosition;
    }

    /**
     * Makes up to {@code bytes} bytes from the current position readable in {@link #window()};
     * returns how many are (fewer only where the limit comes first).
     */
    int ensure(int bytes) throws IOException {
        int wanted = (int) Math.min(bytes, limitPosition - position);
        int offset = windowOffset();
        if (window.limit() - offset >= wanted) {
            return wanted;
        }
        if (wanted > window.capacity()) {
            window = ByteBuffer.allocate(wanted);
        }
        window.clear();
        window.limit((int) Math.min(window.capacity(), limitPosition - position));
        windowStart = position;
        long filePosition = position;
        while (window.hasRemaining()) {
            int read = segment.read(window, filePosition);
            if (read < 0) {
                break;
            }
            filePosition += read;
        }
        window.flip();
        return Math.min(wanted, window.limit());
    }

    /** The window; the current batch starts at {@link #windowOffset()} once {@link #ensure} ran. */
    ByteBuffer window() {
        return window;
    }

    int windowOffset() {
        return (int) (position - windowStart);
    }

    void advance(long bytes) {
        position += bytes;
    }

    /**
     * Reads the header fields of the batch at the cursor, without checking the CRC. Returns null if
     * fewer than {@link RecordBatch#HEADER_SIZE} bytes are left or the length field is impossible.
     */
    BatchHeader header() throws IOException {
        if (ensure(RecordBatch.HEADER_SIZE) < RecordBatch.HEADER_SIZE) {
            return BatchHeader.NONE;
        }
        int offset = windowOffset();
        long sizeBytes = RecordBatch.LOG_OVERHEAD + (long) window.getInt(offset + RecordBatch.LENGTH_OFFSET);
        int recordCount = RecordBatch.recordCount(window, offset);
        if (sizeBytes < RecordBatch.HEADER_SIZE || sizeBytes > remainingBytes() || recordCount < 1) {
            return BatchHeader.NONE;
        }
        return new BatchHeader(
                RecordBatch.baseOffset(window, offset),
                (int) sizeBytes,
                recordCount,
                RecordBatch.firstTimestampMs(window, offset),
                RecordBatch.maxTimestampMs(window, offset));
    }

    /** Header fields of one batch, unverified. {@link #NONE} marks "no plausible batch here". Immutable. */
    record BatchHeader(long baseOffset, int sizeBytes, int recordCount, long firstTimestampMs, long maxTimestampMs) {
        static final BatchHeader NONE = new BatchHeader(-1, 0, 0, 0, 0);

        boolean present() {
            return sizeBytes > 0;
        }

        long nextOffset() {
            return baseOffset + recordCount;
        }
    }
}
