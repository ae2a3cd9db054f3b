package io.takhin.it;

import io.takhin.storage.log.PartitionLog;
import io.takhin.storage.log.ReadResult;
import io.takhin.storage.record.RecordBatches;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A record as the store holds it, copied out for assertions. */
record StoredRecord(
        long offset, long timestampMs, byte @Nullable [] key, byte @Nullable [] value, Map<String, String> headers) {

    String valueText() {
        return value == null ? "<null>" : new String(value, StandardCharsets.UTF_8);
    }

    @Nullable
    String keyText() {
        return key == null ? null : new String(key, StandardCharsets.UTF_8);
    }

    /** Every readable record of {@code log}, from its log start offset to its high watermark. */
    static List<StoredRecord> readAll(PartitionLog log) {
        List<StoredRecord> records = new ArrayList<>();
        long next = log.logStartOffset();
        while (next < log.highWatermark()) {
            ReadResult result = log.read(next, 1 << 20);
            if (!(result instanceof ReadResult.Records(ByteBuffer batches, long highWatermark))) {
                throw new AssertionError("offset " + next + " out of range: " + result);
            }
            long from = next;
            RecordBatches.forEach(batches, from, view -> {
                Map<String, String> headers = new LinkedHashMap<>();
                for (int i = 0; i < view.headerCount(); i++) {
                    headers.put(
                            view.headerKey(i),
                            StandardCharsets.UTF_8.decode(view.headerValue(i)).toString());
                }
                records.add(new StoredRecord(
                        view.offset(), view.timestampMs(), copy(view.key()), copy(view.value()), headers));
                return true;
            });
            if (records.isEmpty() || records.getLast().offset() < from) {
                throw new AssertionError(
                        "no progress reading from " + from + " (high watermark " + highWatermark + ")");
            }
            next = records.getLast().offset() + 1;
        }
        return records;
    }

    private static byte @Nullable [] copy(@Nullable ByteBuffer buffer) {
        if (buffer == null) {
            return null;
        }
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
