package io.takhin.backend;

/** Where a seek moves a consumer's position. Immutable. */
public sealed interface SeekTarget {
    /** An exact offset; past the end is allowed (the consumer waits for it). */
    record Offset(long offset) implements SeekTarget {}

    /** The first readable offset. */
    record Beginning() implements SeekTarget {}

    /** The high watermark: only records produced from now on. */
    record End() implements SeekTarget {}

    /** The first offset whose timestamp is at or after {@code timestampMs}, else the end. */
    record Timestamp(long timestampMs) implements SeekTarget {}
}
