package io.takhin.storage.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.takhin.storage.record.BatchValidation;
import io.takhin.storage.record.RecordBatch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks the invariants of {@code io.takhin.storage.log} (I1 to I5, I7) on an open, quiet log, by
 * reading every segment below the high watermark. Exported in the test-jar for other modules' tests.
 * Stateless.
 */
public final class LogInvariants {
    private LogInvariants() {}

    /** Fails with an AssertionError naming the invariant if {@code log} breaks one. */
    public static void check(PartitionLog log) {
        assertThat(log.isClosed())
                .as("LogInvariants.check needs an open log: %s", log)
                .isFalse();
        LogPosition highWatermark = log.highWatermarkPosition();
        List<Segment> segments = log.segments();
        assertThat(segments).as("a log has at least one segment").isNotEmpty();
        assertThat(segments.getFirst().baseOffset())
                .as("log start offset is the first segment's base offset")
                .isEqualTo(log.logStartOffset());
        assertThat(highWatermark.offset())
                .as("I5 high watermark <= log end offset")
                .isLessThanOrEqualTo(log.logEndOffset());
        long expectedOffset = log.logStartOffset();
        long previousTimestampMs = Long.MIN_VALUE;
        for (Segment segment : segments) {
            if (segment.baseOffset() > highWatermark.segmentBaseOffset()) {
                break;
            }
            assertThat(segment.baseOffset())
                    .as("I2 segment %s starts where the previous one ends", segment)
                    .isEqualTo(expectedOffset);
            boolean partlyVisible = segment.baseOffset() == highWatermark.segmentBaseOffset();
            int limit = partlyVisible ? highWatermark.position() : segment.sizeBytes();
            SegmentCheck check = checkBatches(segment, limit, expectedOffset, previousTimestampMs);
            checkIndexes(segment, limit, check.batchStarts());
            expectedOffset = check.endOffset();
            previousTimestampMs = check.lastTimestampMs();
        }
        assertThat(expectedOffset).as("I1 batches end at the high watermark").isEqualTo(highWatermark.offset());
    }

    private record SegmentCheck(long endOffset, long lastTimestampMs, Map<Long, BatchValidation.Valid> batchStarts) {}

    private static SegmentCheck checkBatches(Segment segment, int limit, long baseOffset, long previousTimestampMs) {
        ByteBuffer bytes = readSegment(segment, limit);
        Map<Long, BatchValidation.Valid> batchStarts = new HashMap<>();
        long expectedOffset = baseOffset;
        long lastTimestampMs = previousTimestampMs;
        int position = 0;
        while (position < limit) {
            BatchValidation validation = RecordBatch.validate(bytes, position);
            assertThat(validation)
                    .as("I3 batch at position %d of %s is valid", position, segment)
                    .isInstanceOf(BatchValidation.Valid.class);
            BatchValidation.Valid batch = (BatchValidation.Valid) validation;
            assertThat(batch.baseOffset())
                    .as("I1 batch at position %d of %s follows offset %d", position, segment, expectedOffset - 1)
                    .isEqualTo(expectedOffset);
            assertThat(batch.firstTimestampMs())
                    .as("I7 timestamps never decrease (position %d of %s)", position, segment)
                    .isGreaterThanOrEqualTo(lastTimestampMs);
            batchStarts.put((long) position, batch);
            expectedOffset = batch.nextOffset();
            lastTimestampMs = batch.maxTimestampMs();
            position += batch.sizeInBytes();
        }
        assertThat(position)
                .as("I5 %s has only whole batches below %d", segment, limit)
                .isEqualTo(limit);
        return new SegmentCheck(expectedOffset, lastTimestampMs, batchStarts);
    }

    private static void checkIndexes(Segment segment, int limit, Map<Long, BatchValidation.Valid> batchStarts) {
        IndexEntries offsets = segment.offsetIndex().entries();
        IndexEntries times = segment.timeIndex().entries();
        assertThat(times.count())
                .as("I4 both indexes of %s index the same batches", segment)
                .isEqualTo(offsets.count());
        for (int i = 0; i < offsets.count(); i++) {
            long offset = offsets.key(i);
            long position = offsets.value(i);
            assertThat(times.value(i))
                    .as("I4 entry %d of both indexes of %s", i, segment)
                    .isEqualTo(offset);
            if (i > 0) {
                assertThat(offset)
                        .as("I4 index offsets increase in %s", segment)
                        .isGreaterThan(offsets.key(i - 1));
                assertThat(position)
                        .as("I4 index positions increase in %s", segment)
                        .isGreaterThan(offsets.value(i - 1));
                assertThat(times.key(i))
                        .as("I4 time index never decreases in %s", segment)
                        .isGreaterThanOrEqualTo(times.key(i - 1));
            }
            if (position >= limit) {
                continue; // written but not yet visible
            }
            BatchValidation.Valid batch = batchStarts.get(position);
            assertThat(batch)
                    .as("I4 index entry %d of %s points at a batch start", i, segment)
                    .isNotNull();
            assertThat(batch.baseOffset())
                    .as("I4 index entry %d offset in %s", i, segment)
                    .isEqualTo(offset);
            assertThat(batch.maxTimestampMs())
                    .as("I4 time index entry %d in %s", i, segment)
                    .isEqualTo(times.key(i));
        }
    }

    private static ByteBuffer readSegment(Segment segment, int limit) {
        ByteBuffer bytes = ByteBuffer.allocate(limit);
        try {
            long position = 0;
            while (bytes.hasRemaining()) {
                int read = segment.read(bytes, position);
                assertThat(read).as("%s holds %d bytes", segment, limit).isNotNegative();
                position += read;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.flip();
    }
}
