package io.takhin.storage.log;

import static io.takhin.storage.log.TestLogs.PARTITION;
import static org.assertj.core.api.Assertions.assertThat;

import io.takhin.common.ManualTime;
import io.takhin.storage.TestSeed;
import io.takhin.storage.record.RecordBatch;
import io.takhin.storage.record.TestRecords;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Index files are hints (I4): damaged ones are rebuilt from the log and lookups stay right. */
@ExtendWith(TestSeed.class)
class IndexRecoveryTest {
    @RegisterExtension
    final LogInvariantsExtension invariants = new LogInvariantsExtension();

    @TempDir
    Path root;

    final ManualTime time = new ManualTime();

    enum Damage {
        DELETED,
        TRUNCATED_MID_ENTRY,
        LAST_ENTRY_MISSING,
        GARBLED
    }

    static Stream<Arguments> damages() {
        List<Arguments> arguments = new ArrayList<>();
        for (String suffix : List.of(".index", ".timeindex")) {
            for (Damage damage : Damage.values()) {
                arguments.add(Arguments.of(suffix, damage, true));
                arguments.add(Arguments.of(suffix, damage, false));
            }
        }
        return arguments.stream();
    }

    /** Damages the index of the first (trusted) and the last (active) segment, then reopens. */
    @ParameterizedTest(name = "{0} {1} clean={2}")
    @MethodSource("damages")
    void open_damagedIndex_rebuildsItAndLookupsStayCorrect(
            String suffix, Damage damage, boolean cleanShutdown, Random random) throws IOException {
        LogConfig config = TestLogs.smallSegments(2048);
        Path directory = cleanShutdown ? writeAndClose(random, config) : crashed(random, config);
        List<Path> logFiles = CrashedLog.logFiles(directory);
        assertThat(logFiles).hasSizeGreaterThan(2);
        for (Path logFile : List.of(logFiles.getFirst(), logFiles.getLast())) {
            damage(Path.of(logFile.toString().replace(".log", suffix)), damage, random);
        }
        List<CrashedLog.Batch> batches = CrashedLog.readBatches(directory);

        PartitionLog log = invariants.track(PartitionLog.open(directory, PARTITION, config, time));

        assertThat(log.recoveryReport().cleanShutdown()).isEqualTo(cleanShutdown);
        assertThat(log.recoveryReport().indexesRebuilt()).isEqualTo(2);
        assertThat(log.recoveryReport().bytesTruncated()).isZero();
        assertThat(log.logEndOffset()).isEqualTo(batches.getLast().nextOffset());
        assertLookupsCorrect(log, batches);
    }

    /**
     * An index entry nudged by one byte still looks plausible (ordered, in range), so a clean open
     * keeps it; lookups notice it does not point at a batch and walk from the segment start instead.
     */
    @org.junit.jupiter.api.Test
    void read_plausibleButWrongIndexEntry_stillFindsEveryOffset(Random random) throws IOException {
        LogConfig config = TestLogs.smallSegments(2048);
        Path directory = writeAndClose(random, config);
        Path index =
                Path.of(CrashedLog.logFiles(directory).getFirst().toString().replace(".log", ".index"));
        ByteBuffer entries = ByteBuffer.wrap(Files.readAllBytes(index));
        int middle = entries.limit() / 8 / 2 * 8;
        entries.putInt(middle + 4, entries.getInt(middle + 4) + 1);
        Files.write(index, entries.array());
        List<CrashedLog.Batch> batches = CrashedLog.readBatches(directory);

        PartitionLog log = PartitionLog.open(directory, PARTITION, config, time);
        try {
            assertThat(log.recoveryReport().indexesRebuilt()).isZero();
            assertLookupsCorrect(log, batches);
        } finally {
            log.close(); // not tracked: LogInvariants would rightly reject the wrong entry
        }
    }

    private Path writeAndClose(Random random, LogConfig config) {
        Path directory = root.resolve("clean");
        try (PartitionLog log = PartitionLog.open(directory, PARTITION, config, time)) {
            while (log.segments().size() < 4
                    || log.segments().getLast().offsetIndex().entries().count() < 2) {
                log.append(TestRecords.random(random, 4, 40));
                time.advanceMs(random.nextInt(3));
            }
        }
        return directory;
    }

    private Path crashed(Random random, LogConfig config) {
        return CrashedLog.write(root, random, config, 60, 8, time).directory();
    }

    private static void damage(Path indexFile, Damage damage, Random random) throws IOException {
        long size = Files.size(indexFile);
        int entrySize = indexFile.toString().endsWith(".timeindex") ? 12 : 8;
        assertThat(size).as("%s has entries to damage", indexFile).isGreaterThanOrEqualTo(entrySize);
        switch (damage) {
            case DELETED -> Files.delete(indexFile);
            case TRUNCATED_MID_ENTRY -> RecoveryTest.truncate(indexFile, size - 5);
            case LAST_ENTRY_MISSING -> RecoveryTest.truncate(indexFile, size - entrySize);
            case GARBLED -> Files.write(indexFile, TestRecords.bytes(random, (int) size));
        }
    }

    private static void assertLookupsCorrect(PartitionLog log, List<CrashedLog.Batch> batches) {
        for (CrashedLog.Batch batch : batches) {
            for (long offset = batch.baseOffset(); offset < batch.nextOffset(); offset++) {
                ByteBuffer read = TestLogs.records(log.read(offset, 0));
                assertThat(RecordBatch.baseOffset(read, 0))
                        .as("batch holding %d", offset)
                        .isEqualTo(batch.baseOffset());
            }
            long timestampMs = RecordBatch.maxTimestampMs(ByteBuffer.wrap(batch.bytes()), 0);
            long expected = batches.stream()
                    .filter(candidate ->
                            RecordBatch.maxTimestampMs(ByteBuffer.wrap(candidate.bytes()), 0) >= timestampMs)
                    .findFirst()
                    .orElseThrow()
                    .baseOffset();
            assertThat(log.offsetForTimestamp(timestampMs))
                    .as("offset for timestamp %d", timestampMs)
                    .isEqualTo(expected);
        }
    }
}
