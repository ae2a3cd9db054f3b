package io.takhin.storage.record;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Builds random records for tests and compares decoded views with what was appended. Stateless. */
public final class TestRecords {
    private TestRecords() {}

    /** A record with a UTF-8 value and no key or headers. */
    public static AppendRecord of(String value) {
        return new AppendRecord(null, value.getBytes(UTF_8));
    }

    /** Between 1 and {@code maxRecords} records with random keys, values (null sometimes) and headers. */
    public static List<AppendRecord> random(Random random, int maxRecords, int maxValueBytes) {
        int count = 1 + random.nextInt(maxRecords);
        List<AppendRecord> records = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            List<AppendRecord.Header> headers = new ArrayList<>();
            int headerCount = random.nextInt(4) == 0 ? random.nextInt(3) + 1 : 0;
            for (int h = 0; h < headerCount; h++) {
                headers.add(new AppendRecord.Header(
                        "h" + random.nextInt(100) + (h % 2 == 0 ? "é" : ""), bytes(random, random.nextInt(8))));
            }
            byte[] key = random.nextInt(3) == 0 ? null : bytes(random, random.nextInt(16));
            byte[] value = random.nextInt(10) == 0 ? null : bytes(random, random.nextInt(maxValueBytes + 1));
            records.add(new AppendRecord(key, value, headers));
        }
        return records;
    }

    public static byte[] bytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    /** Asserts that the view decodes to {@code expected}. */
    public static void assertSame(RecordView view, AppendRecord expected) {
        assertThat(view.keyBytes()).isEqualTo(expected.key());
        assertThat(view.valueBytes()).isEqualTo(expected.value());
        assertThat(view.keyLength()).isEqualTo(expected.key() == null ? -1 : expected.key().length);
        assertThat(view.valueLength()).isEqualTo(expected.value() == null ? -1 : expected.value().length);
        assertThat(view.headerCount()).isEqualTo(expected.headers().size());
        for (int i = 0; i < expected.headers().size(); i++) {
            assertThat(view.headerKey(i)).isEqualTo(expected.headers().get(i).key());
            assertThat(view.headerValue(i))
                    .isEqualTo(ByteBuffer.wrap(expected.headers().get(i).value()));
        }
    }
}
