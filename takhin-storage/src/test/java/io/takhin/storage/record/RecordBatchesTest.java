package io.takhin.storage.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.takhin.storage.TestSeed;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestSeed.class)
class RecordBatchesTest {
    @RepeatedTest(30)
    void forEach_randomBatchesFromRandomOffset_decodesEveryLaterRecord(Random random) {
        List<AppendRecord> all = new ArrayList<>();
        List<ByteBuffer> batches = new ArrayList<>();
        long baseOffset = 100;
        for (int i = 0; i < 1 + random.nextInt(8); i++) {
            List<AppendRecord> records = TestRecords.random(random, 10, 50);
            batches.add(RecordBatch.encode(baseOffset + all.size(), 5000 + i, records));
            all.addAll(records);
        }
        ByteBuffer buffer = concat(batches);
        long fromOffset = baseOffset + random.nextInt(all.size());
        List<Long> offsets = new ArrayList<>();

        long next = RecordBatches.forEach(buffer, fromOffset, record -> {
            TestRecords.assertSame(record, all.get((int) (record.offset() - baseOffset)));
            offsets.add(record.offset());
            return true;
        });

        assertThat(offsets).hasSize((int) (baseOffset + all.size() - fromOffset));
        assertThat(offsets.getFirst()).isEqualTo(fromOffset);
        assertThat(next).isEqualTo(baseOffset + all.size());
        assertThat(buffer.position()).isZero();
    }

    @Test
    void forEach_fromMidBatch_skipsEarlierRecordsOfThatBatch() {
        ByteBuffer batch =
                RecordBatch.encode(10, 1000, List.of(TestRecords.of("a"), TestRecords.of("b"), TestRecords.of("c")));
        List<String> values = new ArrayList<>();

        RecordBatches.forEach(batch, 11, record -> values.add(new String(record.valueBytes())));

        assertThat(values).containsExactly("b", "c");
    }

    @Test
    void forEach_visitorDeclines_returnsDeclinedOffset() {
        ByteBuffer batch =
                RecordBatch.encode(10, 1000, List.of(TestRecords.of("a"), TestRecords.of("b"), TestRecords.of("c")));

        long next = RecordBatches.forEach(batch, 10, record -> record.offset() < 11);

        assertThat(next).isEqualTo(11);
    }

    @Test
    void forEach_nothingAtOrAfterFromOffset_returnsFromOffset() {
        ByteBuffer batch = RecordBatch.encode(10, 1000, List.of(TestRecords.of("a")));

        assertThat(RecordBatches.forEach(batch, 50, record -> true)).isEqualTo(50);
    }

    @Test
    void recordView_nullAndEmptyKeyAndValue_distinguished() {
        ByteBuffer batch = RecordBatch.encode(
                0, 1000, List.of(new AppendRecord(null, new byte[0]), new AppendRecord(new byte[0], null)));
        List<String> seen = new ArrayList<>();

        RecordBatches.forEach(
                batch,
                0,
                record -> seen.add(record.keyLength() + "/" + record.valueLength() + "/" + (record.key() == null) + "/"
                        + (record.value() == null)));

        assertThat(seen).containsExactly("-1/0/true/false", "0/-1/false/true");
    }

    @Test
    void recordView_positions_pointIntoBuffer() {
        ByteBuffer batch = RecordBatch.encode(0, 1234, List.of(new AppendRecord("key".getBytes(), "value".getBytes())));

        RecordBatches.forEach(batch, 0, record -> {
            assertThat(record.buffer()).isSameAs(batch);
            assertThat(record.buffer().get(record.keyPosition())).isEqualTo((byte) 'k');
            assertThat(record.buffer().get(record.valuePosition())).isEqualTo((byte) 'v');
            assertThat(record.timestampMs()).isEqualTo(1234);
            assertThat(record.sizeInBytes()).isEqualTo(RecordBatch.RECORD_OVERHEAD + 3 + 5);
            return true;
        });
    }

    @Test
    void forEach_bufferEndsInsideBatch_rejected() {
        ByteBuffer batch = RecordBatch.encode(0, 1000, List.of(TestRecords.of("hello")));
        batch.limit(batch.limit() - 1);

        assertThatThrownBy(() -> RecordBatches.forEach(batch, 0, record -> true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("position 0");
    }

    static ByteBuffer concat(List<ByteBuffer> batches) {
        int size = batches.stream().mapToInt(ByteBuffer::remaining).sum();
        ByteBuffer buffer = ByteBuffer.allocate(size);
        batches.forEach(batch -> buffer.put(batch.duplicate()));
        return buffer.flip();
    }
}
