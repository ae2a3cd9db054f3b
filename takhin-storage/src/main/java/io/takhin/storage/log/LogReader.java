package io.takhin.storage.log;

import io.takhin.common.StorageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import org.jspecify.annotations.Nullable;

/**
 * The read side of a {@link PartitionLog}: finds and reads batches below the published high
 * watermark (I5). Thread-safe and lock-free: it reads the log's volatile snapshots and the
 * concurrent segment map; a segment deleted by retention during a read makes the read start over.
 */
final class LogReader {
    private static final int READ_ATTEMPTS = 3;

    private final PartitionLog log;
    private final ConcurrentSkipListMap<Long, Segment> segments;

    LogReader(PartitionLog log, ConcurrentSkipListMap<Long, Segment> segments) {
        this.log = log;
        this.segments = segments;
    }

    /**
     * Whole batches starting with the one that holds {@code fromOffset}, from one segment, up to
     * {@code maxBytes} but at least one batch, never beyond the high watermark. Lock-free.
     *
     * @throws IllegalArgumentException if {@code maxBytes} is negative
     * @throws StorageException if the log is closed or the read fails
     */
    ReadResult read(long fromOffset, int maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must be >= 0, got " + maxBytes);
        }
        for (int attempt = 1; ; attempt++) {
            ensureOpen();
            LogPosition visible = log.highWatermarkPosition();
            long startOffset = log.logStartOffset();
            if (fromOffset < startOffset) {
                return new ReadResult.OffsetOutOfRange(startOffset, visible.offset());
            }
            if (fromOffset >= visible.offset()) {
                return new ReadResult.Records(ByteBuffer.allocate(0), visible.offset());
            }
            try {
                ByteBuffer batches = readBelow(fromOffset, maxBytes, visible);
                if (batches != null) {
                    return new ReadResult.Records(batches, visible.offset());
                }
            } catch (ClosedChannelException e) {
                if (log.isClosed() || Thread.currentThread().isInterrupted() || attempt >= READ_ATTEMPTS) {
                    throw new StorageException(
                            "read of partition " + log.topicPartition() + " was interrupted or closed", e);
                }
            } catch (IOException e) {
                throw new StorageException("read of partition " + log.topicPartition() + " failed: " + e, e);
            }
            // Retention deleted the segment under us; the next attempt sees the new log start offset.
            if (attempt >= READ_ATTEMPTS) {
                throw new IllegalStateException("no segment of " + log.topicPartition() + " holds offset " + fromOffset
                        + " below the high watermark " + visible.offset());
            }
        }
    }

    private @Nullable ByteBuffer readBelow(long fromOffset, int maxBytes, LogPosition visible) throws IOException {
        Map.Entry<Long, Segment> entry = segments.floorEntry(fromOffset);
        while (entry != null && entry.getKey() <= visible.segmentBaseOffset()) {
            Segment segment = entry.getValue();
            int limitPosition =
                    segment.baseOffset() == visible.segmentBaseOffset() ? visible.position() : segment.sizeBytes();
            ByteBuffer batches = segment.readBatches(fromOffset, maxBytes, limitPosition);
            if (batches != null) {
                return batches;
            }
            entry = segments.higherEntry(entry.getKey());
        }
        return null;
    }

    /**
     * The first offset whose timestamp is at or after {@code timestampMs}, or the high watermark if
     * no readable record is that recent. Lock-free.
     */
    long offsetForTimestamp(long timestampMs) {
        for (int attempt = 1; ; attempt++) {
            ensureOpen();
            LogPosition visible = log.highWatermarkPosition();
            try {
                return offsetForTimestamp(timestampMs, visible);
            } catch (ClosedChannelException e) {
                if (log.isClosed() || Thread.currentThread().isInterrupted() || attempt >= READ_ATTEMPTS) {
                    throw new StorageException(
                            "read of partition " + log.topicPartition() + " was interrupted or closed", e);
                }
            } catch (IOException e) {
                throw new StorageException("read of partition " + log.topicPartition() + " failed: " + e, e);
            }
        }
    }

    private long offsetForTimestamp(long timestampMs, LogPosition visible) throws IOException {
        for (Segment segment :
                segments.headMap(visible.segmentBaseOffset(), true).values()) {
            boolean partlyVisible = segment.baseOffset() == visible.segmentBaseOffset();
            if (!partlyVisible && segment.maxTimestampMs() < timestampMs) {
                continue;
            }
            int limitPosition = partlyVisible ? visible.position() : segment.sizeBytes();
            long offset = segment.offsetForTimestamp(timestampMs, limitPosition);
            if (offset >= 0) {
                return offset;
            }
        }
        return visible.offset();
    }

    private void ensureOpen() {
        if (log.isClosed()) {
            throw new StorageException("partition " + log.topicPartition() + " is closed");
        }
    }
}
