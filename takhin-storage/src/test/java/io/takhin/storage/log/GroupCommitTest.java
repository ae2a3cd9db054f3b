package io.takhin.storage.log;

import static io.takhin.storage.log.TestLogs.PARTITION;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.takhin.common.ManualTime;
import io.takhin.storage.record.AppendRecord;
import io.takhin.storage.record.RecordBatches;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class GroupCommitTest {
    private static final int THREADS = 8;
    private static final int APPENDS_PER_THREAD = 60;

    @RegisterExtension
    final LogInvariantsExtension invariants = new LogInvariantsExtension();

    @TempDir
    Path directory;

    /**
     * Concurrent appenders get distinct dense offsets, every acknowledged record is readable, and
     * they share fsyncs. The fsync hook sleeps to make overlap certain; the assertion is on the fsync
     * counter, not on time.
     */
    @Test
    void append_concurrentThreads_denseOffsetsAndFewerFsyncsThanAppends() throws Exception {
        IoHooks slowFsync = new IoHooks() {
            @Override
            public void beforeFsync(Path logFile) throws IOException {
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        PartitionLog log = invariants.track(PartitionLog.open(
                directory,
                PARTITION,
                TestLogs.smallSegments(4096),
                new ManualTime(),
                PartitionLog.Options.standalone(slowFsync)));
        Map<Long, String> acknowledged = new ConcurrentHashMap<>();
        ExecutorService executor = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int thread = 0; thread < THREADS; thread++) {
                int threadId = thread;
                futures.add(executor.submit(() -> appendMany(log, threadId, acknowledged)));
            }
            for (Future<?> future : futures) {
                future.get(60, TimeUnit.SECONDS);
            }
        } finally {
            executor.shutdownNow();
        }

        int appends = THREADS * APPENDS_PER_THREAD;
        assertThat(new TreeMap<>(acknowledged).keySet())
                .as("dense, distinct offsets")
                .containsExactlyElementsOf(java.util.stream.LongStream.range(0, acknowledged.size())
                        .boxed()
                        .toList());
        Map<Long, String> read = new TreeMap<>();
        long next = 0;
        while (next < log.highWatermark()) {
            next = RecordBatches.forEach(TestLogs.records(log.read(next, 1 << 16)), next, record -> {
                read.put(record.offset(), new String(record.valueBytes(), UTF_8));
                return true;
            });
        }
        assertThat(read).isEqualTo(new TreeMap<>(acknowledged));
        // Leader/follower: appends that arrive during a 1 ms fsync are all released by the next one.
        // Holding the flush lock across the fsync (the old design) gave about 1.25 appends per fsync.
        System.out.println("group commit: " + appends + " appends, " + log.fsyncCount() + " fsyncs");
        assertThat(log.fsyncCount())
                .as("fsyncs shared between %d appends: at least two appends per fsync", appends)
                .isLessThanOrEqualTo(appends / 2);
        assertThat(log.fsyncCount()).isPositive();
    }

    private static void appendMany(PartitionLog log, int threadId, Map<Long, String> acknowledged) {
        for (int i = 0; i < APPENDS_PER_THREAD; i++) {
            List<AppendRecord> records = new ArrayList<>();
            for (int r = 0; r <= i % 3; r++) {
                records.add(new AppendRecord(null, ("t" + threadId + "-" + i + "-" + r).getBytes(UTF_8)));
            }
            AppendResult result = log.append(records);
            assertThat(log.highWatermark()).as("acknowledged means readable").isGreaterThan(result.lastOffset());
            for (int r = 0; r < records.size(); r++) {
                acknowledged.put(
                        result.baseOffset() + r, new String(records.get(r).value(), UTF_8));
            }
        }
    }
}
