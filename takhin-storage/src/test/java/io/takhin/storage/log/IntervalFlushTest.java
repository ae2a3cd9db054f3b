package io.takhin.storage.log;

import static io.takhin.storage.log.TestLogs.PARTITION;
import static io.takhin.storage.log.TestLogs.records;
import static org.assertj.core.api.Assertions.assertThat;

import io.takhin.common.ManualTime;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Opt-in interval mode: append returns after the write; a scheduled task fsyncs. */
class IntervalFlushTest {
    @RegisterExtension
    final LogInvariantsExtension invariants = new LogInvariantsExtension();

    @TempDir
    Path directory;

    final AtomicInteger fsyncs = new AtomicInteger();
    final CountDownLatch firstFsync = new CountDownLatch(1);
    final IoHooks countingFsyncs = new IoHooks() {
        @Override
        public void beforeFsync(Path logFile) {
            fsyncs.incrementAndGet();
            firstFsync.countDown();
        }
    };

    private PartitionLog open(long flushIntervalMs) {
        return invariants.track(PartitionLog.open(
                directory,
                PARTITION,
                LogConfig.defaults().withFlushIntervalMs(flushIntervalMs),
                new ManualTime(),
                PartitionLog.Options.standalone(countingFsyncs)));
    }

    @Test
    void append_intervalMode_readableAtOnceWithoutFsync() {
        PartitionLog log = open(3_600_000);

        log.append(records("a"));
        log.append(records("b"));

        assertThat(fsyncs).hasValue(0);
        assertThat(log.highWatermark()).isEqualTo(2);
        assertThat(TestLogs.values(log, 0)).containsExactly("a", "b");

        log.flush();
        assertThat(fsyncs).hasValue(1);
        log.flush();
        assertThat(fsyncs).as("nothing new to fsync").hasValue(1);
    }

    @Test
    void append_intervalMode_scheduledTaskFsyncs() throws InterruptedException {
        PartitionLog log = open(5);

        log.append(records("a"));

        assertThat(firstFsync.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(log.awaitAppend(0)).isCompleted();
    }
}
