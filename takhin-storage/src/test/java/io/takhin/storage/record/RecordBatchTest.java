package io.takhin.storage.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.takhin.storage.TestSeed;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(TestSeed.class)
class RecordBatchTest {
    @RepeatedTest(30)
    void encode_randomRecords_validatesWithItsHeader(Random random) {
        List<AppendRecord> records = TestRecords.random(random, 20, 200);
        long baseOffset = random.nextLong(1L << 40);
        ByteBuffer batch = RecordBatch.encode(baseOffset, 1_700_000_000_123L, records);

        assertThat(batch.remaining()).isEqualTo(RecordBatch.sizeInBytes(records));
        assertThat(RecordBatch.validate(batch, 0))
                .isEqualTo(new BatchValidation.Valid(
                        baseOffset, batch.remaining(), records.size(), 1_700_000_000_123L, 1_700_000_000_123L));
        assertThat(RecordBatch.lastOffset(batch, 0)).isEqualTo(baseOffset + records.size() - 1);
    }

    @Test
    void encodeInto_atBufferPosition_advancesPastBatch() {
        List<AppendRecord> records = List.of(TestRecords.of("a"), TestRecords.of("bc"));
        ByteBuffer buffer = ByteBuffer.allocate(7 + (int) RecordBatch.sizeInBytes(records));
        buffer.position(7);

        RecordBatch.encodeInto(buffer, 5, 10, records);

        assertThat(buffer.hasRemaining()).isFalse();
        assertThat(RecordBatch.validate(buffer.flip(), 7)).isInstanceOf(BatchValidation.Valid.class);
    }

    @Test
    void encode_noRecords_rejected() {
        assertThatThrownBy(() -> RecordBatch.encode(0, 0, List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one record");
    }

    /** CRC32C catches every single-bit error; structure checks catch those in the length field. */
    @Test
    void validate_anySingleBitFlipped_isNotValid() {
        ByteBuffer batch = RecordBatch.encode(
                42,
                1000,
                List.of(
                        new AppendRecord(
                                "k".getBytes(), "value".getBytes(), List.of(new AppendRecord.Header("h", new byte[2]))),
                        new AppendRecord(null, null)));
        for (int position = 0; position < batch.limit(); position++) {
            for (int bit = 0; bit < 8; bit++) {
                ByteBuffer copy = copyOf(batch);
                copy.put(position, (byte) (copy.get(position) ^ (1 << bit)));
                assertThat(RecordBatch.validate(copy, 0))
                        .as("bit %d of byte %d flipped", bit, position)
                        .isNotInstanceOf(BatchValidation.Valid.class);
            }
        }
    }

    @Test
    void validate_baseOffsetChanged_crcMismatch() {
        ByteBuffer batch = RecordBatch.encode(42, 1000, List.of(TestRecords.of("x")));
        batch.putLong(0, 43);

        assertThat(RecordBatch.validate(batch, 0))
                .isInstanceOfSatisfying(
                        BatchValidation.Corrupt.class,
                        corrupt -> assertThat(corrupt.reason()).contains("crc"));
    }

    @Test
    void validate_everyPrefix_isIncomplete() {
        ByteBuffer batch = RecordBatch.encode(0, 1000, List.of(TestRecords.of("hello"), TestRecords.of("world")));
        for (int length = 0; length < batch.limit(); length++) {
            ByteBuffer prefix = copyOf(batch).limit(length);
            int required = length < RecordBatch.LOG_OVERHEAD ? RecordBatch.LOG_OVERHEAD : batch.limit();
            assertThat(RecordBatch.validate(prefix, 0))
                    .as("prefix of %d bytes", length)
                    .isEqualTo(new BatchValidation.Incomplete(required));
        }
    }

    @Test
    void validate_zeroes_corrupt() {
        assertThat(RecordBatch.validate(ByteBuffer.allocate(100), 0)).isInstanceOf(BatchValidation.Corrupt.class);
    }

    @RepeatedTest(20)
    void validate_randomGarbage_neverValid(Random random) {
        ByteBuffer garbage = ByteBuffer.wrap(TestRecords.bytes(random, 1 + random.nextInt(300)));
        assertThat(RecordBatch.validate(garbage, 0)).isNotInstanceOf(BatchValidation.Valid.class);
    }

    /** A batch whose CRC is right but whose record lengths lie is still rejected (R2). */
    @Test
    void validate_recordLengthInconsistentButCrcRecomputed_corrupt() {
        ByteBuffer batch = RecordBatch.encode(0, 1000, List.of(TestRecords.of("hello")));
        int recordLengthPosition = RecordBatch.HEADER_SIZE;
        batch.putInt(recordLengthPosition, batch.getInt(recordLengthPosition) - 1);
        batch.putInt(RecordBatch.CRC_OFFSET, RecordBatch.computeCrc(batch, 0, batch.limit()));

        assertThat(RecordBatch.validate(batch, 0)).isInstanceOf(BatchValidation.Corrupt.class);
    }

    @Test
    void validate_fileChannel_readsWholeBatchOrReportsTornTail(@TempDir Path directory) throws IOException {
        ByteBuffer batch = RecordBatch.encode(7, 1000, List.of(TestRecords.of("hello")));
        Path file = directory.resolve("batch");
        Files.write(file, copyOf(batch).array());
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            assertThat(RecordBatch.validate(channel, 0)).isInstanceOf(BatchValidation.Valid.class);
            channel.truncate(batch.limit() - 1);
            assertThat(RecordBatch.validate(channel, 0)).isEqualTo(new BatchValidation.Incomplete(batch.limit()));
        }
    }

    private static ByteBuffer copyOf(ByteBuffer buffer) {
        ByteBuffer copy = ByteBuffer.allocate(buffer.limit());
        copy.put(buffer.duplicate().position(0));
        return copy.flip();
    }
}
