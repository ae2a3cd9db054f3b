package io.takhin.storage.record;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One record handed to the log for appending. Immutable as far as this type goes: the arrays are
 * not copied, so the caller must not change them until the append returns. A null key or value is
 * stored as length -1 and read back as null; an empty array stays empty.
 *
 * <p>Equality is that of records: arrays compare by identity.
 */
public record AppendRecord(byte @Nullable [] key, byte @Nullable [] value, List<Header> headers) {
    public AppendRecord {
        headers = List.copyOf(headers);
    }

    /** A record without headers. */
    public AppendRecord(byte @Nullable [] key, byte @Nullable [] value) {
        this(key, value, List.of());
    }

    /** A record header: a UTF-8 key and a byte value, neither null. Repeated keys are allowed. */
    public record Header(String key, byte[] value) {}
}
