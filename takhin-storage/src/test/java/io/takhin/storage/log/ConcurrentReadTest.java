package io.takhin.storage.log;

import static io.takhin.storage.log.TestLogs.PARTITION;
import static io.takhin.storage.log.TestLogs.records;
import static org.assertj.core.api.Assertions.assertThat;

import io.takhin.common.ManualTime;
import io.takhin.storage.TestSeed;
import io.takhin.storage.record.BatchValidation;
import io.takhin.storage.record.RecordBatch;
import io.takhin.storage.record.RecordBatches;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Lock-free readers against a live writer, rolls and retention (I5). */
@ExtendWith(TestSeed.class)
class ConcurrentReadTest {
    private static final int BATCHES = 1500;

    @RegisterExtension
    final LogInvariantsExtension invariants = new LogInvariantsExtension();

    @TempDir
    Path directory;

    /**
     * Readers at random offsets while the writer appends, rolls and retention deletes segments: every
     * read returns whole valid batches holding the offset asked for, or OffsetOutOfRange once that
     * offset was deleted; never an exception, never a torn batch.
     */
    @ParameterizedTest(name = "flushIntervalMs={0}")
    @ValueSource(longs = {0, 3_600_000})
    void read_duringAppendsRollsAndRetention_alwaysWholeValidBatches(long flushIntervalMs, Random random)
            throws Exception {
        PartitionLog log = invariants.track(PartitionLog.open(
                directory,
                PARTITION,
                TestLogs.smallSegments(2048).withRetentionBytes(8192).withFlushIntervalMs(flushIntervalMs),
                new ManualTime()));
        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService executor = Executors.newFixedThreadPool(3);
        try {
            List<Future<Integer>> readers = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                long seed = random.nextLong();
                readers.add(executor.submit(() -> readWhileWriting(log, writing, new Random(seed))));
            }
            Future<?> writer = executor.submit(() -> {
                try {
                    for (int i = 0; i < BATCHES; i++) {
                        log.append(records("value-" + i, "second-" + i));
                        if (i % 50 == 0) {
                            log.enforceRetention();
                        }
                    }
                } finally {
                    writing.set(false);
                }
            });
            writer.get(60, TimeUnit.SECONDS);
            for (Future<Integer> reader : readers) {
                assertThat(reader.get(60, TimeUnit.SECONDS)).as("reads done").isPositive();
            }
        } finally {
            executor.shutdownNow();
        }
        assertThat(log.logStartOffset()).as("retention ran").isPositive();
    }

    private static int readWhileWriting(PartitionLog log, AtomicBoolean writing, Random random) {
        int reads = 0;
        while (writing.get() || reads == 0) {
            long highWatermark = log.highWatermark();
            if (highWatermark == 0) {
                Thread.onSpinWait();
                continue;
            }
            long fromOffset = random.nextLong(highWatermark);
            ReadResult result = log.read(fromOffset, random.nextInt(4096));
            if (result instanceof ReadResult.Records records) {
                assertWholeValidBatches(records.batches(), fromOffset);
                assertThat(records.highWatermark()).isGreaterThan(fromOffset);
            } else {
                assertThat(((ReadResult.OffsetOutOfRange) result).logStartOffset())
                        .isGreaterThan(fromOffset);
            }
            reads++;
        }
        return reads;
    }

    private static void assertWholeValidBatches(ByteBuffer batches, long fromOffset) {
        assertThat(batches.remaining()).isPositive();
        assertThat(RecordBatch.baseOffset(batches, 0)).isLessThanOrEqualTo(fromOffset);
        assertThat(RecordBatch.lastOffset(batches, 0)).isGreaterThanOrEqualTo(fromOffset);
        int position = 0;
        while (position < batches.limit()) {
            BatchValidation validation = RecordBatch.validate(batches, position);
            assertThat(validation).isInstanceOf(BatchValidation.Valid.class);
            position += ((BatchValidation.Valid) validation).sizeInBytes();
        }
    }

    /** A consumer that long-polls with awaitAppend sees every record exactly once, in order. */
    @Test
    void awaitAppend_longPollingConsumer_seesEveryRecordInOrder() throws Exception {
        PartitionLog log = invariants.track(
                PartitionLog.open(directory, PARTITION, TestLogs.smallSegments(4096), new ManualTime()));
        int total = 400;
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            Future<List<Long>> consumer = executor.submit(() -> {
                List<Long> seen = new ArrayList<>();
                long next = 0;
                while (next < total) {
                    log.awaitAppend(next).get(30, TimeUnit.SECONDS);
                    next = RecordBatches.forEach(TestLogs.records(log.read(next, 1024)), next, record -> {
                        seen.add(record.offset());
                        return true;
                    });
                }
                return seen;
            });
            for (int i = 0; i < total; i++) {
                log.append(records("v" + i));
            }
            assertThat(consumer.get(60, TimeUnit.SECONDS))
                    .containsExactlyElementsOf(
                            java.util.stream.LongStream.range(0, total).boxed().toList());
        } finally {
            executor.shutdownNow();
        }
    }
}
