package io.takhin.storage.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.takhin.common.ManualTime;
import io.takhin.storage.record.BatchValidation;
import io.takhin.storage.record.RecordBatch;
import io.takhin.storage.record.TestRecords;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * A partition directory as a crash would leave it: written through a live log, then copied while
 * the log was still open (so there is no clean-shutdown marker), with a map of every batch on disk.
 * Tests copy it again per case and damage the copy. Immutable after {@link #write}.
 */
record CrashedLog(Path directory, LogConfig config, List<Batch> batches) {

    /** One batch as it lies on disk. */
    record Batch(long baseOffset, long nextOffset, long segmentBaseOffset, int position, byte[] bytes) {
        int endPosition() {
            return position + bytes.length;
        }
    }

    /**
     * Appends {@code batchCount} random batches, then more until the active segment holds at least
     * {@code minActiveBatches}, and copies the directory while the log is open.
     */
    static CrashedLog write(
            Path root, Random random, LogConfig config, int batchCount, int minActiveBatches, ManualTime time) {
        Path live = root.resolve("live");
        Path crashed = root.resolve("crashed");
        try (PartitionLog log = PartitionLog.open(live, TestLogs.PARTITION, config, time)) {
            List<Long> baseOffsets = new ArrayList<>();
            while (baseOffsets.size() < batchCount || activeBatches(log, baseOffsets) < minActiveBatches) {
                baseOffsets.add(log.append(TestRecords.random(random, 4, 40)).baseOffset());
                time.advanceMs(random.nextInt(3));
            }
            copyDirectory(live, crashed);
        }
        return new CrashedLog(crashed, config, readBatches(crashed));
    }

    private static long activeBatches(PartitionLog log, List<Long> baseOffsets) {
        long activeBaseOffset = log.segments().getLast().baseOffset();
        return baseOffsets.stream().filter(offset -> offset >= activeBaseOffset).count();
    }

    /** A fresh copy of the crashed directory to damage. */
    Path copyTo(Path target) {
        copyDirectory(directory, target);
        return target;
    }

    static void copyDirectory(Path source, Path target) {
        try (Stream<Path> files = Files.list(source)) {
            Files.createDirectories(target);
            for (Path file : files.toList()) {
                Files.copy(file, target.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Batch> readBatches(Path directory) {
        List<Batch> batches = new ArrayList<>();
        for (Path logFile : logFiles(directory)) {
            long segmentBaseOffset =
                    Long.parseLong(logFile.getFileName().toString().substring(0, 20));
            ByteBuffer bytes = ByteBuffer.wrap(readAllBytes(logFile));
            int position = 0;
            while (position < bytes.limit()) {
                BatchValidation.Valid valid = (BatchValidation.Valid) RecordBatch.validate(bytes, position);
                byte[] batch = new byte[valid.sizeInBytes()];
                bytes.get(position, batch);
                batches.add(new Batch(valid.baseOffset(), valid.nextOffset(), segmentBaseOffset, position, batch));
                position += valid.sizeInBytes();
            }
        }
        return batches;
    }

    static List<Path> logFiles(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".log"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] readAllBytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every byte the log serves from its start to its high watermark, batch after batch. */
    static byte[] servedBytes(PartitionLog log) {
        ByteArrayOutputStream served = new ByteArrayOutputStream();
        long next = log.logStartOffset();
        while (next < log.highWatermark()) {
            ByteBuffer batches = TestLogs.records(log.read(next, Integer.MAX_VALUE));
            assertThat(RecordBatch.baseOffset(batches, 0)).isEqualTo(next);
            for (int position = 0; position < batches.limit(); position += RecordBatch.sizeInBytes(batches, position)) {
                next = RecordBatch.lastOffset(batches, position) + 1;
            }
            served.write(batches.array(), batches.arrayOffset(), batches.limit());
        }
        return served.toByteArray();
    }

    static byte[] concat(List<Batch> batches) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        batches.forEach(batch -> out.writeBytes(batch.bytes()));
        return out.toByteArray();
    }
}
