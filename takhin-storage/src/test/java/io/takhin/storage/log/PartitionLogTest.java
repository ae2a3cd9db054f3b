package io.takhin.storage.log;

import static io.takhin.storage.log.TestLogs.PARTITION;
import static io.takhin.storage.log.TestLogs.records;
import static io.takhin.storage.log.TestLogs.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.takhin.common.ErrorCode;
import io.takhin.common.ManualTime;
import io.takhin.common.StorageException;
import io.takhin.common.TakhinException;
import io.takhin.common.Time;
import io.takhin.storage.TestSeed;
import io.takhin.storage.record.AppendRecord;
import io.takhin.storage.record.RecordBatch;
import io.takhin.storage.record.RecordBatches;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@ExtendWith(TestSeed.class)
class PartitionLogTest {
    @RegisterExtension
    final LogInvariantsExtension invariants = new LogInvariantsExtension();

    @TempDir
    Path directory;

    final ManualTime time = new ManualTime();

    private PartitionLog open(LogConfig config) {
        return invariants.track(PartitionLog.open(directory, PARTITION, config, time));
    }

    @Test
    void append_thenRead_returnsRecordsWithDenseOffsets() {
        PartitionLog log = open(LogConfig.defaults());

        AppendResult first = log.append(records("a", "b"));
        AppendResult second = log.append(records("c"));

        assertThat(first).isEqualTo(new AppendResult(0, 1, time.wallClockMs()));
        assertThat(second.baseOffset()).isEqualTo(2);
        assertThat(log.highWatermark()).isEqualTo(3);
        assertThat(log.logEndOffset()).isEqualTo(3);
        assertThat(values(log, 0)).containsExactly("a", "b", "c");
    }

    @Test
    void append_batchOverLimit_payloadTooLarge() {
        PartitionLog log = open(LogConfig.defaults());
        List<AppendRecord> huge = List.of(new AppendRecord(null, new byte[RecordBatch.MAX_BATCH_SIZE_BYTES]));

        assertThatThrownBy(() -> log.append(huge))
                .isInstanceOfSatisfying(
                        TakhinException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.PAYLOAD_TOO_LARGE));
        assertThat(log.logEndOffset()).isZero();
    }

    @Test
    void append_emptyList_rejected() {
        PartitionLog log = open(LogConfig.defaults());

        assertThatThrownBy(() -> log.append(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void read_pastLogEnd_returnsEmpty() {
        PartitionLog log = open(LogConfig.defaults());
        log.append(records("a"));

        ReadResult atEnd = log.read(1, 1000);
        ReadResult pastEnd = log.read(100, 1000);

        assertThat(atEnd).isInstanceOfSatisfying(ReadResult.Records.class, records -> {
            assertThat(records.batches().hasRemaining()).isFalse();
            assertThat(records.highWatermark()).isEqualTo(1);
        });
        assertThat(TestLogs.records(pastEnd).hasRemaining()).isFalse();
    }

    @Test
    void read_belowLogStart_offsetOutOfRange() {
        PartitionLog log = open(LogConfig.defaults());
        log.append(records("a"));

        assertThat(log.read(-1, 100)).isEqualTo(new ReadResult.OffsetOutOfRange(0, 1));
    }

    @Test
    void read_fromMidBatch_returnsWholeBatchThatReadersSkip() {
        PartitionLog log = open(LogConfig.defaults());
        log.append(records("a", "b", "c"));

        ByteBuffer batches = TestLogs.records(log.read(1, 1000));

        assertThat(RecordBatch.baseOffset(batches, 0)).isZero();
        List<String> values = new ArrayList<>();
        RecordBatches.forEach(batches, 1, record -> values.add(new String(record.valueBytes())));
        assertThat(values).containsExactly("b", "c");
    }

    @Test
    void read_maxBytesBelowOneBatch_returnsExactlyOneWholeBatch() {
        PartitionLog log = open(LogConfig.defaults());
        log.append(records("first batch"));
        log.append(records("second batch"));

        ByteBuffer batches = TestLogs.records(log.read(0, 1));

        assertThat(batches.remaining()).isEqualTo(RecordBatch.sizeInBytes(batches, 0));
    }

    @Test
    void read_maxBytesBetweenBatches_returnsOnlyWholeBatches() {
        PartitionLog log = open(LogConfig.defaults());
        for (int i = 0; i < 10; i++) {
            log.append(records("value-" + i));
        }
        int batchSize = (int) RecordBatch.sizeInBytes(records("value-0"));

        ByteBuffer batches = TestLogs.records(log.read(0, batchSize * 3 + batchSize / 2));

        assertThat(batches.remaining()).isEqualTo(batchSize * 3);
    }

    @Test
    void read_acrossSegmentRolls_returnsEveryRecordInOrder() throws IOException {
        PartitionLog log = open(TestLogs.smallSegments(300));
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            String value = "value-" + i;
            expected.add(value);
            log.append(records(value));
        }

        assertThat(log.segments()).hasSizeGreaterThan(10);
        assertThat(values(log, 0)).isEqualTo(expected);
        assertThat(values(log, 57)).isEqualTo(expected.subList(57, 100));
        try (Stream<Path> files = Files.list(directory)) {
            assertThat(files.map(file -> file.getFileName().toString()))
                    .contains(
                            "00000000000000000000.log", "00000000000000000000.index", "00000000000000000000.timeindex")
                    .allMatch(name -> name.matches("\\d{20}\\.(log|index|timeindex)") || name.equals("recovery-point"));
        }
    }

    @Test
    void append_batchLargerThanSegment_getsASegmentOfItsOwn() {
        PartitionLog log = open(TestLogs.smallSegments(100));
        log.append(records("small"));

        log.append(records("x".repeat(500)));
        log.append(records("small again"));

        assertThat(log.segments()).extracting(Segment::baseOffset).containsExactly(0L, 1L, 2L);
        assertThat(values(log, 0)).containsExactly("small", "x".repeat(500), "small again");
    }

    @Test
    void roll_byAge_startsNewSegmentOnFirstAppendAfterSegmentMs() {
        PartitionLog log = open(LogConfig.defaults().withSegmentMs(1000));
        log.append(records("a"));
        time.advanceMs(999);
        log.append(records("b"));
        assertThat(log.segments()).hasSize(1);

        time.advanceMs(1);
        log.append(records("c"));

        assertThat(log.segments()).extracting(Segment::baseOffset).containsExactly(0L, 2L);
        assertThat(values(log, 0)).containsExactly("a", "b", "c");
    }

    @Test
    void offsetForTimestamp_acrossSegments_returnsFirstOffsetAtOrAfter() {
        PartitionLog log = open(TestLogs.smallSegments(200).withIndexIntervalBytes(0));
        long startMs = time.wallClockMs();
        for (int i = 0; i < 50; i++) {
            log.append(records("v" + i, "w" + i)); // offsets 2i and 2i+1 at startMs + 10 i
            time.advanceMs(10);
        }

        assertThat(log.offsetForTimestamp(0)).isZero();
        assertThat(log.offsetForTimestamp(startMs)).isZero();
        assertThat(log.offsetForTimestamp(startMs + 1)).isEqualTo(2);
        assertThat(log.offsetForTimestamp(startMs + 250)).isEqualTo(50);
        assertThat(log.offsetForTimestamp(startMs + 255)).isEqualTo(52);
        assertThat(log.offsetForTimestamp(startMs + 490)).isEqualTo(98);
        assertThat(log.offsetForTimestamp(startMs + 491)).isEqualTo(100);
        assertThat(log.offsetForTimestamp(Long.MAX_VALUE)).isEqualTo(log.highWatermark());
    }

    @Test
    void append_clockGoesBackwards_timestampsNeverDecrease() {
        AtomicLong nowMs = new AtomicLong(5000);
        Time backwards = new Time() {
            @Override
            public long nanoTime() {
                return 0;
            }

            @Override
            public long wallClockMs() {
                return nowMs.getAndAdd(-1000);
            }
        };
        PartitionLog log = invariants.track(PartitionLog.open(directory, PARTITION, LogConfig.defaults(), backwards));

        long first = log.append(records("a")).timestampMs();
        long second = log.append(records("b")).timestampMs();

        assertThat(first).isEqualTo(5000);
        assertThat(second).isEqualTo(5000);
        assertThat(log.offsetForTimestamp(5000)).isZero();
    }

    /** Lookups through the sparse index find the batch holding any offset, whatever the interval. */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 37, 256, 4096})
    void read_randomOffsets_findsBatchHoldingOffset(int indexIntervalBytes, Random random) {
        PartitionLog log = open(LogConfig.defaults().withSegmentBytes(8192).withIndexIntervalBytes(indexIntervalBytes));
        List<long[]> batches = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            int count = 1 + random.nextInt(5);
            List<AppendRecord> records = new ArrayList<>();
            for (int r = 0; r < count; r++) {
                records.add(new AppendRecord(null, new byte[random.nextInt(60)]));
            }
            AppendResult result = log.append(records);
            batches.add(new long[] {result.baseOffset(), result.lastOffset()});
        }
        for (int i = 0; i < 500; i++) {
            long offset = random.nextLong(log.highWatermark());
            ByteBuffer read = TestLogs.records(log.read(offset, 0));
            long base = RecordBatch.baseOffset(read, 0);
            assertThat(batches).as("offset %d", offset).anyMatch(batch -> batch[0] == base && batch[1] >= offset);
            assertThat(RecordBatch.lastOffset(read, 0)).isGreaterThanOrEqualTo(offset);
        }
    }

    @Test
    void awaitAppend_completesWhenRecordBecomesReadable() throws Exception {
        PartitionLog log = open(LogConfig.defaults());
        log.append(records("a", "b"));
        CompletableFuture<Void> waiting = log.awaitAppend(4);
        assertThat(waiting).isNotDone();

        log.append(records("c"));
        assertThat(waiting).as("offset 2 readable is not enough").isNotDone();
        log.append(records("d", "e"));

        waiting.get(10, TimeUnit.SECONDS);
        assertThat(log.highWatermark()).isEqualTo(5);
    }

    @Test
    void awaitAppend_offsetBelowHighWatermark_alreadyComplete() {
        PartitionLog log = open(LogConfig.defaults());
        log.append(records("a", "b"));

        assertThat(log.awaitAppend(1)).isCompleted();
        assertThat(log.awaitAppend(2)).isNotDone();
    }

    @Test
    void awaitAppend_fromOtherThreads_everyWaiterWakes() throws Exception {
        PartitionLog log = open(LogConfig.defaults());
        List<CompletableFuture<Void>> waiters = IntStream.range(0, 50)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> log.awaitAppend(i % 5))
                        .thenCompose(future -> future))
                .toList();

        for (int i = 0; i < 5; i++) {
            log.append(records("v" + i));
        }

        CompletableFuture.allOf(waiters.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
    }

    /**
     * An interrupt closes the FileChannel the interrupted thread reads from; readers have their own
     * channel, so the writer and other readers carry on.
     */
    @Test
    void read_interruptedReader_otherReadersAndWriterCarryOn() {
        PartitionLog log = open(LogConfig.defaults());
        log.append(records("a"));

        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> log.read(0, 100)).isInstanceOf(StorageException.class);
        } finally {
            Thread.interrupted();
        }

        assertThat(values(log, 0)).containsExactly("a");
        log.append(records("b"));
        assertThat(log.isFailed()).isFalse();
        assertThat(values(log, 0)).containsExactly("a", "b");
    }

    /** An interrupt pending when append starts must not close the write channel and fail the log. */
    @Test
    void append_interruptPending_appendsAndKeepsTheInterrupt() {
        PartitionLog log = open(LogConfig.defaults());

        Thread.currentThread().interrupt();
        AppendResult result;
        try {
            result = log.append(records("a"));
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }

        assertThat(result.baseOffset()).isZero();
        assertThat(log.isFailed()).isFalse();
        assertThat(log.append(records("b")).baseOffset()).isEqualTo(1);
    }

    @Test
    void close_wakesWaitersAndRefusesAppends() throws Exception {
        PartitionLog log = PartitionLog.open(directory, PARTITION, LogConfig.defaults(), time);
        CompletableFuture<Void> waiting = log.awaitAppend(0);

        log.close();

        waiting.get(10, TimeUnit.SECONDS);
        assertThat(log.isClosed()).isTrue();
        assertThatThrownBy(() -> log.append(records("a"))).isInstanceOf(StorageException.class);
        assertThatThrownBy(() -> log.read(0, 100)).isInstanceOf(StorageException.class);
    }

    @Test
    void reopen_afterCleanClose_continuesOffsetsAndTimestamps() {
        PartitionLog log = PartitionLog.open(directory, PARTITION, TestLogs.smallSegments(200), time);
        for (int i = 0; i < 20; i++) {
            log.append(records("v" + i));
        }
        long lastTimestampMs = log.append(records("last")).timestampMs();
        log.close();

        PartitionLog reopened = invariants.track(
                PartitionLog.open(directory, PARTITION, TestLogs.smallSegments(200), new ManualTime(0)));

        assertThat(reopened.recoveryReport().cleanShutdown()).isTrue();
        assertThat(reopened.logEndOffset()).isEqualTo(21);
        assertThat(reopened.append(records("next"))).isEqualTo(new AppendResult(21, 21, lastTimestampMs));
        assertThat(values(reopened, 19)).containsExactly("v19", "last", "next");
    }
}
