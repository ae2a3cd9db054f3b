package io.takhin.coordinator;

import org.jspecify.annotations.Nullable;

/**
 * One change to the committed offsets, as written to the offsets log. Immutable.
 *
 * @param value the new committed offset, or null for a tombstone (the offset is deleted)
 */
record OffsetRecord(OffsetKey key, @Nullable CommittedOffset value) {
    static OffsetRecord commit(OffsetKey key, long offset, long commitTimestampMs) {
        return new OffsetRecord(key, new CommittedOffset(offset, commitTimestampMs));
    }

    static OffsetRecord tombstone(OffsetKey key) {
        return new OffsetRecord(key, null);
    }
}
