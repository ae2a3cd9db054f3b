package io.takhin.coordinator;

/**
 * A committed offset as stored. Immutable.
 *
 * @param offset the next offset the group will read on the partition (Kafka semantics)
 * @param commitTimestampMs wall-clock time of the commit, kept for a future offset retention
 */
record CommittedOffset(long offset, long commitTimestampMs) {
    CommittedOffset {
        if (offset < 0) {
            throw new IllegalArgumentException("committed offset must be >= 0, got " + offset);
        }
    }
}
