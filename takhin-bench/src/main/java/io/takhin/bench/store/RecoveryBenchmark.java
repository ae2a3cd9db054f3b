package io.takhin.bench.store;

import io.takhin.common.Time;
import io.takhin.common.TopicPartition;
import io.takhin.storage.log.LogConfig;
import io.takhin.storage.log.PartitionLog;
import io.takhin.storage.record.AppendRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
 * Recovery scan: one op opens a partition directory that holds only its {@code .log} files (no
 * indexes, no checkpoint, no clean-shutdown marker), so the store validates every batch's CRC and
 * rebuilds both indexes, as after a crash with no recovery point. Scan rate = log bytes / op time;
 * the log bytes are printed at set-up. Files are in the page cache.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 8)
@Fork(1)
public class RecoveryBenchmark {
    @Param({"1000000"})
    public int records;

    private Path source;
    private Path copy;

    @Setup(Level.Trial)
    public void fill() {
        source = BenchLogs.scratch("recovery-source-");
        try (PartitionLog log =
                PartitionLog.open(source, new TopicPartition("bench", 0), LogConfig.defaults(), Time.SYSTEM)) {
            List<AppendRecord> batch = BenchLogs.batch(1000, 100, 3);
            for (int i = 0; i < records / 1000; i++) {
                log.append(batch);
            }
        }
        System.out.println("log-bytes=" + BenchLogs.sizeOfLogFiles(source));
    }

    @Setup(Level.Invocation)
    public void copyLogFilesOnly() {
        copy = BenchLogs.scratch("recovery-");
        try (Stream<Path> files = Files.list(source)) {
            for (Path file :
                    files.filter(path -> path.toString().endsWith(".log")).toList()) {
                Files.copy(file, copy.resolve(file.getFileName()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @TearDown(Level.Invocation)
    public void deleteCopy() {
        BenchLogs.delete(copy);
    }

    @TearDown(Level.Trial)
    public void deleteSource() {
        BenchLogs.delete(source);
    }

    @Benchmark
    public long recover() {
        try (PartitionLog log =
                PartitionLog.open(copy, new TopicPartition("bench", 0), LogConfig.defaults(), Time.SYSTEM)) {
            if (log.logEndOffset() != records) {
                throw new IllegalStateException("recovered to " + log.logEndOffset() + ", expected " + records);
            }
            return log.logEndOffset();
        }
    }
}
