package io.takhin.bench.store;

import io.takhin.common.Time;
import io.takhin.common.TopicPartition;
import io.takhin.storage.log.AppendResult;
import io.takhin.storage.log.LogConfig;
import io.takhin.storage.log.PartitionLog;
import io.takhin.storage.record.AppendRecord;
import io.takhin.storage.record.RecordBatch;
import java.nio.ByteBuffer;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Where a single writer's append time goes, without the fsync: {@code encode} builds one batch of
 * {@code recordsPerAppend} 100-byte records (layout and CRC32C); {@code appendNoFsync} appends it
 * to a log in interval-flush mode (flush every 60 s, so no fsync in the measured window): encode,
 * write into the page cache, index. Each iteration appends to a new log. With one writer these run strictly before each fsync, which is
 * why one writer cannot reach the disk's bandwidth (see {@link AppendBenchmark}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 5, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(1)
public class AppendCostBenchmark {
    @Param({"1000"})
    public int recordsPerAppend;

    private List<AppendRecord> batch = List.of();
    private Path dir = Path.of(".");
    private PartitionLog log;

    @Setup(Level.Trial)
    public void prepare() {
        batch = BenchLogs.batch(recordsPerAppend, 100, 1);
    }

    /** A new log per iteration: 0.5 s of appends stay in one 1 GiB segment, so no roll (and its fsync). */
    @Setup(Level.Iteration)
    public void open() {
        dir = BenchLogs.scratch("append-cost-");
        LogConfig config = LogConfig.defaults().withRetentionMs(-1).withFlushIntervalMs(60_000);
        log = PartitionLog.open(dir, new TopicPartition("bench", 0), config, Time.SYSTEM);
    }

    @TearDown(Level.Iteration)
    public void close() {
        log.close();
        BenchLogs.delete(dir);
    }

    @Benchmark
    public ByteBuffer encode() {
        return RecordBatch.encode(0, 0, batch);
    }

    @Benchmark
    public AppendResult appendNoFsync() {
        return log.append(batch);
    }
}
