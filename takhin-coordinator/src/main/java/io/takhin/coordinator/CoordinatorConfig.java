package io.takhin.coordinator;

import java.nio.file.Path;

/**
 * Settings of the {@link GroupCoordinator}. Immutable.
 *
 * @param offsetsDir the directory of the offsets store (snapshots and log generations); nothing
 *     else may write in it. It must not be a directory the log manager scans for topics.
 * @param compactAfterRecords compact the offsets log (new snapshot, new empty log) once it holds
 *     more records than this; at least 1
 * @param maxEventsPerDrain the most requests the coordinator thread takes from its queue at once;
 *     the commits among them share one append and one fsync. At least 1
 */
public record CoordinatorConfig(Path offsetsDir, long compactAfterRecords, int maxEventsPerDrain) {
    public static final long DEFAULT_COMPACT_AFTER_RECORDS = 100_000;
    public static final int DEFAULT_MAX_EVENTS_PER_DRAIN = 1024;

    public CoordinatorConfig {
        if (compactAfterRecords < 1) {
            throw new IllegalArgumentException("compactAfterRecords must be >= 1, got " + compactAfterRecords);
        }
        if (maxEventsPerDrain < 1) {
            throw new IllegalArgumentException("maxEventsPerDrain must be >= 1, got " + maxEventsPerDrain);
        }
    }

    /** Default settings with the offsets store in {@code offsetsDir}. */
    public static CoordinatorConfig defaults(Path offsetsDir) {
        return new CoordinatorConfig(offsetsDir, DEFAULT_COMPACT_AFTER_RECORDS, DEFAULT_MAX_EVENTS_PER_DRAIN);
    }
}
