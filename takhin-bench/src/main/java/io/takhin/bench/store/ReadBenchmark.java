package io.takhin.bench.store;

import io.takhin.common.Time;
import io.takhin.common.TopicPartition;
import io.takhin.storage.log.LogConfig;
import io.takhin.storage.log.PartitionLog;
import io.takhin.storage.log.ReadResult;
import io.takhin.storage.record.AppendRecord;
import io.takhin.storage.record.RecordBatches;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * Sequential read: one op reads a whole partition of {@code records} 100-byte records from offset 0
 * in 1 MiB reads and visits every record (offset, value). This is the raw in-process rate the HTTP
 * drain benchmark is compared with. The files are in the page cache, as they are for a consumer
 * reading what was just produced.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ReadBenchmark {
    @Param({"1000000"})
    public int records;

    private Path dir;
    private PartitionLog log;

    @Setup(Level.Trial)
    public void fill() {
        dir = BenchLogs.scratch("read-");
        log = PartitionLog.open(dir, new TopicPartition("bench", 0), LogConfig.defaults(), Time.SYSTEM);
        List<AppendRecord> batch = BenchLogs.batch(1000, 100, 2);
        for (int i = 0; i < records / 1000; i++) {
            log.append(batch);
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        log.close();
        BenchLogs.delete(dir);
    }

    @Benchmark
    public long readAll(Blackhole blackhole) {
        long next = 0;
        long visited = 0;
        long[] state = new long[2];
        while (next < log.highWatermark()) {
            ReadResult result = log.read(next, 1 << 20);
            if (!(result instanceof ReadResult.Records(ByteBuffer batches, long highWatermark))) {
                throw new IllegalStateException("out of range at " + next);
            }
            state[0] = next;
            state[1] = 0;
            RecordBatches.forEach(batches, next, view -> {
                blackhole.consume(view.value());
                state[0] = view.offset() + 1;
                state[1]++;
                return true;
            });
            next = state[0];
            visited += state[1];
        }
        if (visited != records) {
            throw new IllegalStateException("visited " + visited + " records, expected " + records);
        }
        return visited;
    }
}
