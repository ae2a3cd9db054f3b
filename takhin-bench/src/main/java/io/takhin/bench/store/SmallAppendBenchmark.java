package io.takhin.bench.store;

import io.takhin.common.Time;
import io.takhin.common.TopicPartition;
import io.takhin.storage.log.AppendResult;
import io.takhin.storage.log.LogConfig;
import io.takhin.storage.log.PartitionLog;
import io.takhin.storage.record.AppendRecord;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
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
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Small appends with the default durability: one op = one append of {@code recordsPerAppend}
 * 100-byte records that returns once fsynced, from one or eight threads (group commit). Bound by
 * fsync latency, not bandwidth, so the disk baseline here is synced small writes per second: before
 * each iteration, {@code dd bs=4k count=2000 oflag=dsync} on the same directory; the iteration's
 * appends/s and that rate go to the pairs file ({@link BenchLogs#logPair}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SmallAppendBenchmark {
    @Param({"1"})
    public int recordsPerAppend;

    @Param({"100"})
    public int recordBytes;

    private Path dir = Path.of(".");
    private PartitionLog log;
    private List<AppendRecord> batch = List.of();
    private final LongAdder appended = new LongAdder();
    private int iteration;
    private int threads;
    private double ddSyncedWritesPerSecond;
    private long startNanos;

    @Setup(Level.Trial)
    public void open(BenchmarkParams params) {
        threads = params.getThreads();
        dir = BenchLogs.scratch("small-append-");
        log = PartitionLog.open(
                dir, new TopicPartition("bench", 0), LogConfig.defaults().withRetentionMs(-1), Time.SYSTEM);
        batch = BenchLogs.batch(recordsPerAppend, recordBytes, 1);
        iteration = 0;
    }

    @TearDown(Level.Trial)
    public void close() {
        log.close();
        BenchLogs.delete(dir);
    }

    @Setup(Level.Iteration)
    public void measureDisk() {
        ddSyncedWritesPerSecond = BenchLogs.dd(dir, "bs=4k", "count=2000", "oflag=dsync") / 4096;
        appended.reset();
        startNanos = System.nanoTime();
    }

    @TearDown(Level.Iteration)
    public void record() {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        BenchLogs.logPair(String.format(
                "small-append writers=%d records-per-append=%d iteration=%d appends/s=%.0f dd-synced-4k-writes/s=%.0f",
                threads, recordsPerAppend, iteration++, appended.sum() / seconds, ddSyncedWritesPerSecond));
    }

    @Benchmark
    @Threads(1)
    public AppendResult oneWriter() {
        appended.increment();
        return log.append(batch);
    }

    @Benchmark
    @Threads(8)
    public AppendResult eightWriters() {
        appended.increment();
        return log.append(batch);
    }
}
