package io.takhin.bench.store;

import io.takhin.common.Time;
import io.takhin.common.TopicPartition;
import io.takhin.storage.log.LogConfig;
import io.takhin.storage.log.PartitionLog;
import io.takhin.storage.record.AppendRecord;
import io.takhin.storage.record.RecordBatch;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * Append throughput with the default durability, against the disk's in the same run: one op writes
 * 1 GiB into a new log as appends of {@code recordsPerAppend} 100-byte records from {@code writers}
 * threads; every append returns only after its records are fsynced, and concurrent appends share
 * fsyncs (group commit).
 *
 * <p>Right before each op, its set-up runs {@code dd} on the same directory: 1 GiB in 1 MiB blocks
 * with one fdatasync at the end ({@code conv=fdatasync}, the baseline), then 256 MiB in 128 KiB
 * writes each followed by an fdatasync ({@code oflag=dsync}). Both rates and the op's own go to the
 * pairs file ({@link BenchLogs#logPair}), one line per op, so each op is compared with the disk as it
 * was seconds before: this shared virtual disk changes speed from minute to minute, and it absorbs
 * the first few hundred MB of a burst faster than it sustains, which is why both sides write the
 * same volume.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 5)
@Fork(1)
public class AppendBenchmark {
    private static final long VOLUME_BYTES = 1L << 30;

    @Param({"1", "8"})
    public int writers;

    @Param({"1000"})
    public int recordsPerAppend;

    @Param({"100"})
    public int recordBytes;

    private List<AppendRecord> batch = List.of();
    private int batchBytes;
    private int appends;
    private int invocation;
    private Path dir = Path.of(".");
    private PartitionLog log;
    private double ddFdatasyncBytesPerSecond;
    private double ddDsyncBytesPerSecond;
    private long startNanos;

    @Setup(Level.Trial)
    public void prepare() {
        batch = BenchLogs.batch(recordsPerAppend, recordBytes, 1);
        batchBytes = RecordBatch.encode(0, 0, batch).remaining();
        int perWriter = (int) ((VOLUME_BYTES + (long) batchBytes * writers - 1) / ((long) batchBytes * writers));
        appends = perWriter * writers;
        invocation = 0;
    }

    @Setup(Level.Invocation)
    public void measureDiskThenOpen() {
        Path base = BenchLogs.scratch("dd-");
        ddFdatasyncBytesPerSecond = BenchLogs.dd(base, "bs=1M", "count=1024", "conv=fdatasync");
        ddDsyncBytesPerSecond = BenchLogs.dd(base, "bs=128k", "count=2048", "oflag=dsync");
        BenchLogs.delete(base);
        dir = BenchLogs.scratch("append-");
        LogConfig config = LogConfig.defaults().withRetentionMs(-1);
        log = PartitionLog.open(dir, new TopicPartition("bench", 0), config, Time.SYSTEM);
        startNanos = System.nanoTime();
    }

    @TearDown(Level.Invocation)
    public void closeAndRecord() {
        long elapsedNanos = System.nanoTime() - startNanos;
        log.close();
        BenchLogs.delete(dir);
        double appendBytesPerSecond = (double) appends * batchBytes / (elapsedNanos / 1e9);
        BenchLogs.logPair(String.format(
                "append writers=%d records-per-append=%d invocation=%d batch-bytes=%d appends=%d seconds=%.3f"
                        + " append-Bps=%.0f dd-fdatasync-Bps=%.0f dd-dsync-128k-Bps=%.0f",
                writers,
                recordsPerAppend,
                invocation++,
                batchBytes,
                appends,
                elapsedNanos / 1e9,
                appendBytesPerSecond,
                ddFdatasyncBytesPerSecond,
                ddDsyncBytesPerSecond));
    }

    @Benchmark
    public int fill() throws InterruptedException {
        if (writers == 1) {
            for (int i = 0; i < appends; i++) {
                log.append(batch);
            }
            return appends;
        }
        List<Thread> threads = new ArrayList<>(writers);
        int perWriter = appends / writers;
        for (int w = 0; w < writers; w++) {
            threads.add(Thread.ofPlatform().name("writer-" + w).start(() -> {
                for (int i = 0; i < perWriter; i++) {
                    log.append(batch);
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        return appends;
    }
}
