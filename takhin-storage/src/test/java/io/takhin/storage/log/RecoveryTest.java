package io.takhin.storage.log;

import static io.takhin.storage.log.TestLogs.PARTITION;
import static io.takhin.storage.log.TestLogs.records;
import static org.assertj.core.api.Assertions.assertThat;

import io.takhin.common.ManualTime;
import io.takhin.storage.TestSeed;
import io.takhin.storage.record.RecordBatch;
import io.takhin.storage.record.TestRecords;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Crash tests: damage a crashed log's files, reopen, check what survives (I1 to I4). */
@ExtendWith(TestSeed.class)
class RecoveryTest {
    @RegisterExtension
    final LogInvariantsExtension invariants = new LogInvariantsExtension();

    @TempDir
    Path root;

    final ManualTime time = new ManualTime();
    private int caseNumber;

    /** Several segments, so cuts land both in trusted segments and in the scanned active one. */
    private CrashedLog crashedLog(Random random) {
        return CrashedLog.write(root, random, TestLogs.smallSegments(2048), 60, 4, time);
    }

    @Test
    void recover_cutAtRandomBytes_servesExactlyTheWholeBatchPrefix(Random random) throws IOException {
        CrashedLog crashed = crashedLog(random);
        long totalBytes = crashed.batches().stream()
                .mapToLong(batch -> batch.bytes().length)
                .sum();
        assertThat(CrashedLog.logFiles(crashed.directory())).hasSizeGreaterThan(3);

        for (int i = 0; i < 100; i++) {
            long globalCut = random.nextLong(totalBytes + 1);
            assertRecoversAfterCut(crashed, globalCut);
        }
    }

    @Test
    void recover_cutAtEveryByteOfLastTwoBatches_servesExactlyTheWholeBatchPrefix(Random random) throws IOException {
        // One segment: only the active one is cut here, and fewer files make each case cheaper.
        CrashedLog crashed =
                CrashedLog.write(root, random, LogConfig.defaults().withIndexIntervalBytes(64), 30, 0, time);
        long totalBytes = crashed.batches().stream()
                .mapToLong(batch -> batch.bytes().length)
                .sum();
        List<CrashedLog.Batch> batches = crashed.batches();
        long lastTwoBytes = batches.get(batches.size() - 1).bytes().length
                + batches.get(batches.size() - 2).bytes().length;

        for (long globalCut = totalBytes - lastTwoBytes; globalCut <= totalBytes; globalCut++) {
            assertRecoversAfterCut(crashed, globalCut);
        }
    }

    /**
     * Cuts the log at {@code globalCut}, a byte position in the concatenation of all .log files in
     * offset order, and checks the reopened log serves exactly the whole batches before the cut.
     */
    private void assertRecoversAfterCut(CrashedLog crashed, long globalCut) throws IOException {
        Path directory = crashed.copyTo(root.resolve("case-" + caseNumber++));
        long segmentStart = 0;
        long expectedTruncated = 0;
        List<CrashedLog.Batch> survivors = new java.util.ArrayList<>();
        for (Path logFile : CrashedLog.logFiles(directory)) {
            long segmentBaseOffset =
                    Long.parseLong(logFile.getFileName().toString().substring(0, 20));
            long size = Files.size(logFile);
            if (globalCut >= segmentStart + size) {
                crashed.batches().stream()
                        .filter(batch -> batch.segmentBaseOffset() == segmentBaseOffset)
                        .forEach(survivors::add);
            } else if (globalCut >= segmentStart) {
                int cut = (int) (globalCut - segmentStart);
                truncate(logFile, cut);
                List<CrashedLog.Batch> whole = crashed.batches().stream()
                        .filter(batch -> batch.segmentBaseOffset() == segmentBaseOffset && batch.endPosition() <= cut)
                        .toList();
                survivors.addAll(whole);
                expectedTruncated +=
                        cut - (whole.isEmpty() ? 0 : whole.getLast().endPosition());
            } else {
                expectedTruncated += size;
            }
            segmentStart += size;
        }
        long expectedEnd = survivors.isEmpty() ? 0 : survivors.getLast().nextOffset();

        try (PartitionLog log = PartitionLog.open(directory, PARTITION, crashed.config(), time)) {
            String context = "cut at global byte " + globalCut;
            assertThat(log.recoveryReport().cleanShutdown()).isFalse();
            assertThat(log.recoveryReport().logEndOffset()).as(context).isEqualTo(expectedEnd);
            assertThat(log.recoveryReport().bytesTruncated()).as(context).isEqualTo(expectedTruncated);
            assertThat(log.logEndOffset()).as(context).isEqualTo(expectedEnd);
            assertThat(log.highWatermark()).as(context).isEqualTo(expectedEnd);
            assertThat(CrashedLog.servedBytes(log)).as(context).isEqualTo(CrashedLog.concat(survivors));
            LogInvariants.check(log);

            assertThat(log.append(records("after recovery")).baseOffset())
                    .as(context)
                    .isEqualTo(expectedEnd);
            LogInvariants.check(log);
        }
        Disk.deleteRecursively(directory);
    }

    @Test
    void recover_zeroFilledTail_truncatesExactlyTheZeroes(Random random) throws IOException {
        CrashedLog crashed = crashedLog(random);
        Path directory = crashed.copyTo(root.resolve("zeroes"));
        Path active = CrashedLog.logFiles(directory).getLast();
        Files.write(active, new byte[4096], StandardOpenOption.APPEND);

        PartitionLog log = invariants.track(PartitionLog.open(directory, PARTITION, crashed.config(), time));

        assertThat(log.recoveryReport().bytesTruncated()).isEqualTo(4096);
        assertThat(log.logEndOffset()).isEqualTo(crashed.batches().getLast().nextOffset());
        assertThat(CrashedLog.servedBytes(log)).isEqualTo(CrashedLog.concat(crashed.batches()));
    }

    /** A torn write can leave a batch's bytes as zeroes with the file size already extended. */
    @Test
    void recover_lastBatchZeroedInPlace_cutsThatBatch(Random random) throws IOException {
        CrashedLog crashed = crashedLog(random);
        Path directory = crashed.copyTo(root.resolve("zeroed"));
        CrashedLog.Batch last = crashed.batches().getLast();
        overwrite(CrashedLog.logFiles(directory).getLast(), last.position(), new byte[last.bytes().length]);

        PartitionLog log = invariants.track(PartitionLog.open(directory, PARTITION, crashed.config(), time));

        assertThat(log.recoveryReport().bytesTruncated()).isEqualTo(last.bytes().length);
        assertThat(log.logEndOffset()).isEqualTo(last.baseOffset());
    }

    @Test
    void recover_garbageTail_truncatesExactlyTheGarbage(Random random) throws IOException {
        CrashedLog crashed = crashedLog(random);
        Path directory = crashed.copyTo(root.resolve("garbage"));
        Files.write(
                CrashedLog.logFiles(directory).getLast(), TestRecords.bytes(random, 777), StandardOpenOption.APPEND);

        PartitionLog log = invariants.track(PartitionLog.open(directory, PARTITION, crashed.config(), time));

        assertThat(log.recoveryReport().bytesTruncated()).isEqualTo(777);
        assertThat(CrashedLog.servedBytes(log)).isEqualTo(CrashedLog.concat(crashed.batches()));
        assertThat(log.append(records("next")).baseOffset())
                .isEqualTo(crashed.batches().getLast().nextOffset());
    }

    /** A batch that claims to be longer than the file (a torn length field) is cut, not trusted. */
    @Test
    void recover_lengthPastEndOfFile_cutsThatBatch(Random random) throws IOException {
        CrashedLog crashed = crashedLog(random);
        Path directory = crashed.copyTo(root.resolve("length"));
        CrashedLog.Batch last = crashed.batches().getLast();
        overwrite(
                CrashedLog.logFiles(directory).getLast(),
                last.position() + RecordBatch.LENGTH_OFFSET,
                ByteBuffer.allocate(4).putInt(1 << 30).array());

        PartitionLog log = invariants.track(PartitionLog.open(directory, PARTITION, crashed.config(), time));

        assertThat(log.logEndOffset()).isEqualTo(last.baseOffset());
    }

    /** Bit rot in data that was fsynced long ago but lies past the recovery point is caught by the CRC. */
    @Test
    void recover_bitFlipInOlderBatchOfActiveSegment_truncatesAtThatBatch(Random random) throws IOException {
        CrashedLog crashed = crashedLog(random);
        Path directory = crashed.copyTo(root.resolve("bitflip"));
        Path active = CrashedLog.logFiles(directory).getLast();
        long activeBaseOffset = Long.parseLong(active.getFileName().toString().substring(0, 20));
        List<CrashedLog.Batch> activeBatches = crashed.batches().stream()
                .filter(batch -> batch.segmentBaseOffset() == activeBaseOffset)
                .toList();
        assertThat(activeBatches).hasSizeGreaterThan(2);
        CrashedLog.Batch victim = activeBatches.get(random.nextInt(activeBatches.size() - 1));
        int flipped = victim.position()
                + RecordBatch.HEADER_SIZE
                + random.nextInt(victim.bytes().length - RecordBatch.HEADER_SIZE);
        byte[] original = CrashedLog.readAllBytes(active);
        overwrite(active, flipped, new byte[] {(byte) (original[flipped] ^ (1 << random.nextInt(8)))});

        PartitionLog log = invariants.track(PartitionLog.open(directory, PARTITION, crashed.config(), time));

        assertThat(log.logEndOffset()).isEqualTo(victim.baseOffset());
        assertThat(log.recoveryReport().bytesTruncated()).isEqualTo(original.length - victim.position());
        List<CrashedLog.Batch> survivors = crashed.batches().stream()
                .filter(batch -> batch.baseOffset() < victim.baseOffset())
                .toList();
        assertThat(CrashedLog.servedBytes(log)).isEqualTo(CrashedLog.concat(survivors));
    }

    @Test
    void recover_missingOrGarbledCheckpoint_scansEverythingAndOpens(Random random) throws IOException {
        CrashedLog crashed = crashedLog(random);
        Path missing = crashed.copyTo(root.resolve("missing"));
        Files.delete(missing.resolve(Checkpoint.FILE_NAME));
        Path garbled = crashed.copyTo(root.resolve("garbled"));
        Files.write(garbled.resolve(Checkpoint.FILE_NAME), TestRecords.bytes(random, 30));

        for (Path directory : List.of(missing, garbled)) {
            PartitionLog log = invariants.track(PartitionLog.open(directory, PARTITION, crashed.config(), time));
            assertThat(log.logEndOffset()).isEqualTo(crashed.batches().getLast().nextOffset());
            assertThat(log.recoveryReport().bytesTruncated()).isZero();
        }
    }

    @Test
    void recover_afterRecovery_writesRecoveryPointAtLogEnd(Random random) throws IOException {
        CrashedLog crashed = crashedLog(random);
        Path directory = crashed.copyTo(root.resolve("checkpoint"));

        invariants.track(PartitionLog.open(directory, PARTITION, crashed.config(), time));

        assertThat(Checkpoint.read(directory))
                .hasValue(crashed.batches().getLast().nextOffset());
    }

    /** Clean shutdown trusts the data: a byte flipped after close is not found, because nothing is scanned. */
    @Test
    void open_afterCleanShutdown_skipsTheScan(Random random) throws IOException {
        Path directory = root.resolve("clean");
        try (PartitionLog log = PartitionLog.open(directory, PARTITION, LogConfig.defaults(), time)) {
            for (int i = 0; i < 10; i++) {
                log.append(TestRecords.random(random, 3, 50));
            }
        }
        assertThat(directory.resolve(PartitionLog.CLEAN_SHUTDOWN_FILE)).exists();
        Path logFile = CrashedLog.logFiles(directory).getFirst();
        overwrite(logFile, RecordBatch.CRC_OFFSET, new byte[] {1, 2, 3, 4});

        try (PartitionLog reopened = PartitionLog.open(directory, PARTITION, LogConfig.defaults(), time)) {
            assertThat(reopened.recoveryReport())
                    .isEqualTo(new RecoveryReport(PARTITION, true, 0, reopened.logEndOffset(), 0));
            assertThat(reopened.logEndOffset()).isGreaterThanOrEqualTo(10);
            assertThat(directory.resolve(PartitionLog.CLEAN_SHUTDOWN_FILE)).doesNotExist();
        }
    }

    /** Even with the marker, a tail that cannot be a batch is noticed by the header walk and cut. */
    @Test
    void open_cleanMarkerButTornTail_fallsBackToScan(Random random) throws IOException {
        Path directory = root.resolve("clean-torn");
        try (PartitionLog log = PartitionLog.open(directory, PARTITION, LogConfig.defaults(), time)) {
            for (int i = 0; i < 10; i++) {
                log.append(TestRecords.random(random, 3, 50));
            }
        }
        Path logFile = CrashedLog.logFiles(directory).getFirst();
        List<CrashedLog.Batch> batches = CrashedLog.readBatches(directory);
        truncate(logFile, batches.getLast().endPosition() - 3);

        PartitionLog log = invariants.track(PartitionLog.open(directory, PARTITION, LogConfig.defaults(), time));

        assertThat(log.recoveryReport().cleanShutdown()).isTrue();
        assertThat(log.logEndOffset()).isEqualTo(batches.getLast().baseOffset());
        assertThat(log.recoveryReport().bytesTruncated())
                .isEqualTo(batches.getLast().bytes().length - 3);
    }

    @Test
    void recover_emptyDirectory_startsAtOffsetZero() {
        PartitionLog log =
                invariants.track(PartitionLog.open(root.resolve("empty"), PARTITION, LogConfig.defaults(), time));

        assertThat(log.recoveryReport()).isEqualTo(new RecoveryReport(PARTITION, false, 0, 0, 0));
        assertThat(log.append(records("a")).baseOffset()).isZero();
    }

    static void truncate(Path file, long size) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(size);
        }
    }

    static void overwrite(Path file, long position, byte[] bytes) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            Disk.writeFully(channel, ByteBuffer.wrap(bytes), position);
        }
    }
}
