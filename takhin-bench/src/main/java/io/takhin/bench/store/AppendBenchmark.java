package io.takhin.bench.store;

import io.takhin.common.Time;
import io.takhin.common.TopicPartition;
import io.takhin.storage.log.AppendResult;
import io.takhin.storage.log.LogConfig;
import io.takhin.storage.log.PartitionLog;
import io.takhin.storage.record.AppendRecord;
import io.takhin.storage.record.RecordBatch;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Append throughput with the default durability: every append returns only after its records are
 * fsynced, and concurrent appends share fsyncs (group commit). One op = one append of
 * {@code recordsPerAppend} records of 100 bytes. The batch's size on disk is printed at set-up so
 * ops/s converts to bytes/s. {@code bench/store.sh} runs each case between two {@code dd} runs, as the
 * disk (a shared virtual disk) changes speed from minute to minute.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class AppendBenchmark {
    @Param({"1000", "1"})
    public int recordsPerAppend;

    @Param({"100"})
    public int recordBytes;

    private Path dir;
    private PartitionLog log;
    private List<AppendRecord> batch;

    @Setup(Level.Trial)
    public void open() {
        dir = BenchLogs.scratch("append-");
        LogConfig defaults = LogConfig.defaults();
        LogConfig config = new LogConfig(
                256L << 20,
                defaults.segmentMs(),
                defaults.indexIntervalBytes(),
                -1,
                -1,
                0,
                defaults.retentionCheckIntervalMs());
        log = PartitionLog.open(dir, new TopicPartition("bench", 0), config, Time.SYSTEM);
        batch = BenchLogs.batch(recordsPerAppend, recordBytes, 1);
        int batchBytes = RecordBatch.encode(0, 0, batch).remaining();
        System.out.println("batch-bytes-on-disk=" + batchBytes + " records-per-append=" + recordsPerAppend);
    }

    @TearDown(Level.Trial)
    public void close() {
        log.close();
        BenchLogs.delete(dir);
    }

    @Benchmark
    @Threads(1)
    public AppendResult oneWriter() {
        return log.append(batch);
    }

    @Benchmark
    @Threads(8)
    public AppendResult eightWriters() {
        return log.append(batch);
    }
}
