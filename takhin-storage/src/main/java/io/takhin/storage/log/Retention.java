package io.takhin.storage.log;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Picks the segments retention deletes: the oldest ones, in order, while each is older than
 * {@link LogConfig#retentionMs()} or the log without it still holds at least
 * {@link LogConfig#retentionBytes()}. Whole segments only, so the log start offset always moves to
 * a segment's base offset. Stateless.
 */
final class Retention {
    private Retention() {}

    /**
     * @param candidates the segments retention may delete, oldest first: never the active segment,
     *     and only segments wholly below the durable position
     * @param logSizeBytes the size of the whole log, active segment included
     */
    static List<Segment> select(Collection<Segment> candidates, long logSizeBytes, LogConfig config, long nowMs) {
        List<Segment> selected = new ArrayList<>();
        long remainingBytes = logSizeBytes;
        for (Segment segment : candidates) {
            boolean expired = config.retentionMs() >= 0 && nowMs - segment.maxTimestampMs() > config.retentionMs();
            boolean overSize =
                    config.retentionBytes() >= 0 && remainingBytes - segment.sizeBytes() >= config.retentionBytes();
            if (!expired && !overSize) {
                break;
            }
            selected.add(segment);
            remainingBytes -= segment.sizeBytes();
        }
        return selected;
    }
}
