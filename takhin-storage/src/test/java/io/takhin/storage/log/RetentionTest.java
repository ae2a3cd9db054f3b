package io.takhin.storage.log;

import static io.takhin.storage.log.TestLogs.PARTITION;
import static io.takhin.storage.log.TestLogs.records;
import static org.assertj.core.api.Assertions.assertThat;

import io.takhin.common.ManualTime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class RetentionTest {
    @RegisterExtension
    final LogInvariantsExtension invariants = new LogInvariantsExtension();

    @TempDir
    Path directory;

    final ManualTime time = new ManualTime();

    private PartitionLog open(LogConfig config) {
        return invariants.track(PartitionLog.open(directory, PARTITION, config, time));
    }

    private static void appendValues(PartitionLog log, int count) {
        for (int i = 0; i < count; i++) {
            log.append(records("value-" + i));
        }
    }

    @Test
    void enforceRetention_bySize_deletesOldestSegmentsAndMovesLogStart() {
        PartitionLog log =
                open(TestLogs.smallSegments(300).withRetentionBytes(1000).withRetentionMs(-1));
        appendValues(log, 60);
        List<Segment> before = log.segments();

        int deleted = log.enforceRetention();

        List<Segment> after = log.segments();
        assertThat(deleted).isPositive().isEqualTo(before.size() - after.size());
        long remainingBytes = after.stream().mapToLong(Segment::sizeBytes).sum();
        assertThat(remainingBytes).isGreaterThanOrEqualTo(1000);
        assertThat(remainingBytes - after.getFirst().sizeBytes()).isLessThan(1000);
        assertThat(log.logStartOffset())
                .isEqualTo(after.getFirst().baseOffset())
                .isPositive();
        assertThat(Files.exists(before.getFirst().logFile())).isFalse();
        assertThat(Files.exists(before.getFirst().offsetIndex().file())).isFalse();
        assertThat(log.read(0, 100)).isEqualTo(new ReadResult.OffsetOutOfRange(log.logStartOffset(), 60));
        assertThat(TestLogs.values(log, log.logStartOffset())).endsWith("value-59");
    }

    @Test
    void enforceRetention_byAge_deletesSegmentsWhoseNewestRecordIsTooOld() {
        PartitionLog log = open(TestLogs.smallSegments(300).withRetentionMs(1000));
        appendValues(log, 30);
        time.advanceMs(1500);
        appendValues(log, 30);
        long firstRecentOffset = 30;

        log.enforceRetention();

        assertThat(log.logStartOffset()).isPositive().isLessThanOrEqualTo(firstRecentOffset);
        assertThat(log.segments().getFirst().maxTimestampMs()).isGreaterThan(time.wallClockMs() - 1000);
        assertThat(log.read(0, 100)).isInstanceOf(ReadResult.OffsetOutOfRange.class);
    }

    @Test
    void enforceRetention_everythingExpired_keepsActiveSegment() {
        PartitionLog log =
                open(TestLogs.smallSegments(300).withRetentionMs(1000).withRetentionBytes(0));
        appendValues(log, 30);
        Segment active = log.segments().getLast();
        time.advanceMs(10_000);

        log.enforceRetention();

        assertThat(log.segments()).containsExactly(active);
        assertThat(log.logStartOffset()).isEqualTo(active.baseOffset());
        assertThat(TestLogs.values(log, active.baseOffset())).endsWith("value-29");
        assertThat(log.append(records("next")).baseOffset()).isEqualTo(30);
    }

    @Test
    void enforceRetention_unlimited_deletesNothing() {
        PartitionLog log = open(TestLogs.smallSegments(300).withRetentionMs(-1).withRetentionBytes(-1));
        appendValues(log, 30);
        time.advanceMs(365L * 24 * 3600 * 1000);

        assertThat(log.enforceRetention()).isZero();
        assertThat(log.logStartOffset()).isZero();
    }

    /** The scheduler enforces retention by itself; the test waits for the file deletion event. */
    @Test
    void scheduledRetention_deletesSegmentsWithoutBeingCalled() throws Exception {
        Files.createDirectories(directory);
        try (WatchService watcher = directory.getFileSystem().newWatchService()) {
            directory.register(watcher, StandardWatchEventKinds.ENTRY_DELETE);
            PartitionLog log =
                    open(TestLogs.smallSegments(300).withRetentionBytes(600).withRetentionCheckIntervalMs(5));
            appendValues(log, 40);

            boolean segmentDeleted = false;
            while (!segmentDeleted) {
                WatchKey key = watcher.poll(30, TimeUnit.SECONDS);
                assertThat(key).as("a segment file was deleted within 30 s").isNotNull();
                segmentDeleted = key.pollEvents().stream()
                        .anyMatch(event -> event.context().toString().endsWith(".log"));
                key.reset();
            }
            assertThat(log.logStartOffset()).isPositive();
        }
    }

    @Test
    void reopen_afterRetention_startsAtFirstRemainingSegment() throws IOException {
        LogConfig config = TestLogs.smallSegments(300).withRetentionBytes(500);
        try (PartitionLog log = PartitionLog.open(directory, PARTITION, config, time)) {
            appendValues(log, 40);
            log.enforceRetention();
        }

        PartitionLog reopened = open(config);

        assertThat(reopened.logStartOffset()).isPositive();
        assertThat(reopened.logEndOffset()).isEqualTo(40);
        assertThat(reopened.read(0, 10)).isInstanceOf(ReadResult.OffsetOutOfRange.class);
    }
}
