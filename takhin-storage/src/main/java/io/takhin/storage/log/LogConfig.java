package io.takhin.storage.log;

/**
 * How a partition log rolls, indexes, retains and flushes. Immutable; validated on construction.
 *
 * @param segmentBytes a segment rolls before an append would take it past this size (a batch larger
 *     than this gets a segment of its own); 1..{@link Integer#MAX_VALUE}
 * @param segmentMs a non-empty segment rolls at the first append at least this long after its first
 *     batch's timestamp; &gt;= 1
 * @param indexIntervalBytes a batch gets an index entry when it starts at least this many bytes after
 *     the previous entry (or the segment start); 0 indexes every batch; &gt;= 0
 * @param retentionBytes whole old segments are deleted while the rest still holds at least this many
 *     bytes; -1 = unlimited
 * @param retentionMs a segment is deleted once its newest timestamp is more than this old; -1 =
 *     unlimited
 * @param flushIntervalMs 0: append returns after its batch is fsynced (group commit); &gt; 0: append
 *     returns after the write and a background task fsyncs every this many ms, so a machine crash
 *     can lose acknowledged appends
 * @param retentionCheckIntervalMs how often the scheduler enforces retention; &gt;= 1
 */
public record LogConfig(
        long segmentBytes,
        long segmentMs,
        int indexIntervalBytes,
        long retentionBytes,
        long retentionMs,
        long flushIntervalMs,
        long retentionCheckIntervalMs) {

    public LogConfig {
        requireRange("segmentBytes", segmentBytes, 1, Integer.MAX_VALUE);
        requireRange("segmentMs", segmentMs, 1, Long.MAX_VALUE);
        requireRange("indexIntervalBytes", indexIntervalBytes, 0, Integer.MAX_VALUE);
        requireRange("retentionBytes", retentionBytes, -1, Long.MAX_VALUE);
        requireRange("retentionMs", retentionMs, -1, Long.MAX_VALUE);
        requireRange("flushIntervalMs", flushIntervalMs, 0, Long.MAX_VALUE);
        requireRange("retentionCheckIntervalMs", retentionCheckIntervalMs, 1, Long.MAX_VALUE);
    }

    /** 1 GiB segments rolled after 7 days, an index entry per 4 KiB, 7 days' retention, fsync per append. */
    public static LogConfig defaults() {
        long sevenDaysMs = 7L * 24 * 60 * 60 * 1000;
        return new LogConfig(1L << 30, sevenDaysMs, 4096, -1, sevenDaysMs, 0, 60_000);
    }

    /** True when appends return after the write and a scheduled task fsyncs. */
    public boolean intervalFlush() {
        return flushIntervalMs > 0;
    }

    public LogConfig withSegmentBytes(long value) {
        return new LogConfig(
                value,
                segmentMs,
                indexIntervalBytes,
                retentionBytes,
                retentionMs,
                flushIntervalMs,
                retentionCheckIntervalMs);
    }

    public LogConfig withSegmentMs(long value) {
        return new LogConfig(
                segmentBytes,
                value,
                indexIntervalBytes,
                retentionBytes,
                retentionMs,
                flushIntervalMs,
                retentionCheckIntervalMs);
    }

    public LogConfig withIndexIntervalBytes(int value) {
        return new LogConfig(
                segmentBytes, segmentMs, value, retentionBytes, retentionMs, flushIntervalMs, retentionCheckIntervalMs);
    }

    public LogConfig withRetentionBytes(long value) {
        return new LogConfig(
                segmentBytes,
                segmentMs,
                indexIntervalBytes,
                value,
                retentionMs,
                flushIntervalMs,
                retentionCheckIntervalMs);
    }

    public LogConfig withRetentionMs(long value) {
        return new LogConfig(
                segmentBytes,
                segmentMs,
                indexIntervalBytes,
                retentionBytes,
                value,
                flushIntervalMs,
                retentionCheckIntervalMs);
    }

    public LogConfig withFlushIntervalMs(long value) {
        return new LogConfig(
                segmentBytes,
                segmentMs,
                indexIntervalBytes,
                retentionBytes,
                retentionMs,
                value,
                retentionCheckIntervalMs);
    }

    public LogConfig withRetentionCheckIntervalMs(long value) {
        return new LogConfig(
                segmentBytes, segmentMs, indexIntervalBytes, retentionBytes, retentionMs, flushIntervalMs, value);
    }

    private static void requireRange(String field, long value, long min, long max) {
        if (value < min || value > max) {
            String range = max == Long.MAX_VALUE ? ">= " + min : min + ".." + max;
            String unlimited = min == -1 ? " (-1 = unlimited)" : "";
            throw new IllegalArgumentException(field + " must be " + range + unlimited + ", got " + value);
        }
    }
}
