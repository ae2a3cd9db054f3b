package io.takhin.storage.log;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.takhin.common.TopicPartition;
import io.takhin.storage.record.AppendRecord;
import io.takhin.storage.record.RecordBatches;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Small helpers shared by the log tests. Stateless. */
final class TestLogs {
    static final TopicPartition PARTITION = new TopicPartition("orders", 0);

    private TestLogs() {}

    /** Small segments and a dense index, so a few records exercise rolls and index lookups. */
    static LogConfig smallSegments(int segmentBytes) {
        return LogConfig.defaults().withSegmentBytes(segmentBytes).withIndexIntervalBytes(64);
    }

    static List<AppendRecord> records(String... values) {
        return Arrays.stream(values)
                .map(value -> new AppendRecord(null, value.getBytes(UTF_8)))
                .toList();
    }

    /** The values of every record from {@code fromOffset} to the high watermark, read in small steps. */
    static List<String> values(PartitionLog log, long fromOffset) {
        List<String> values = new ArrayList<>();
        long next = fromOffset;
        while (next < log.highWatermark()) {
            ByteBuffer batches = records(log.read(next, 100));
            long before = next;
            next = RecordBatches.forEach(batches, next, record -> {
                values.add(new String(record.valueBytes(), UTF_8));
                return true;
            });
            assertThat(next)
                    .as("a read below the high watermark makes progress")
                    .isGreaterThan(before);
        }
        return values;
    }

    /** The offsets of every record from {@code fromOffset} to the high watermark. */
    static List<Long> offsets(PartitionLog log, long fromOffset) {
        List<Long> offsets = new ArrayList<>();
        long next = fromOffset;
        while (next < log.highWatermark()) {
            next = RecordBatches.forEach(records(log.read(next, 4096)), next, record -> offsets.add(record.offset()));
        }
        return offsets;
    }

    static ByteBuffer records(ReadResult result) {
        assertThat(result).isInstanceOf(ReadResult.Records.class);
        return ((ReadResult.Records) result).batches();
    }
}
