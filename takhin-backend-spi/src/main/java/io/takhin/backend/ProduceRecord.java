package io.takhin.backend;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One record to append. {@code key} and {@code value} may be null (no key; a tombstone value).
 * The arrays are not copied: the caller hands them over. Immutable by convention.
 */
public record ProduceRecord(byte @Nullable [] key, byte @Nullable [] value, List<Header> headers, int partition) {
    /** Let the producer choose the partition. */
    public static final int ANY_PARTITION = -1;

    public ProduceRecord {
        headers = List.copyOf(headers);
    }

    /** A record header; the value is stored as bytes and shown to consumers as UTF-8. */
    public record Header(String key, byte[] value) {}
}
