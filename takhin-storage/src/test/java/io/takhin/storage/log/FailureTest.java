package io.takhin.storage.log;

import static io.takhin.storage.log.TestLogs.PARTITION;
import static io.takhin.storage.log.TestLogs.records;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.takhin.common.ErrorCode;
import io.takhin.common.ManualTime;
import io.takhin.common.StorageException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A failed write or fsync fails the partition: nothing more is acknowledged until reopen (I6). */
class FailureTest {
    @RegisterExtension
    final LogInvariantsExtension invariants = new LogInvariantsExtension();

    @TempDir
    Path directory;

    final AtomicBoolean failFsync = new AtomicBoolean();
    final AtomicBoolean failWrite = new AtomicBoolean();
    final IoHooks faults = new IoHooks() {
        @Override
        public void beforeWrite(Path logFile) throws IOException {
            if (failWrite.get()) {
                throw new IOException("injected write failure");
            }
        }

        @Override
        public void beforeFsync(Path logFile) throws IOException {
            if (failFsync.get()) {
                throw new IOException("injected fsync failure");
            }
        }
    };

    private PartitionLog open(IoHooks hooks) {
        return invariants.track(PartitionLog.open(
                directory, PARTITION, LogConfig.defaults(), new ManualTime(), PartitionLog.Options.standalone(hooks)));
    }

    @Test
    void append_fsyncFails_partitionFailsAndRefusesAppends() {
        PartitionLog log = open(faults);
        log.append(records("durable"));
        failFsync.set(true);

        assertThatThrownBy(() -> log.append(records("lost")))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("fsync")
                .satisfies(e -> assertThat(((StorageException) e).code()).isEqualTo(ErrorCode.STORAGE_UNAVAILABLE));
        failFsync.set(false);

        assertThat(log.isFailed()).isTrue();
        assertThatThrownBy(() -> log.append(records("refused")))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("refuses appends until restart");
        assertThat(log.highWatermark())
                .as("the unacknowledged batch is not readable")
                .isEqualTo(1);
        assertThat(TestLogs.values(log, 0)).containsExactly("durable");
    }

    @Test
    void append_writeFails_partitionFailsAndRefusesAppends() {
        PartitionLog log = open(faults);
        log.append(records("durable"));
        failWrite.set(true);

        assertThatThrownBy(() -> log.append(records("lost"))).isInstanceOf(StorageException.class);
        failWrite.set(false);

        assertThat(log.isFailed()).isTrue();
        assertThatThrownBy(() -> log.append(records("refused"))).isInstanceOf(StorageException.class);
        assertThatThrownBy(log::flush).isInstanceOf(StorageException.class);
    }

    /** Appends waiting on a group commit whose fsync fails are all refused, none acknowledged. */
    @Test
    void append_sharedFsyncFails_everyWaitingAppendThrows() throws Exception {
        int threads = 4;
        CountDownLatch allWritten = new CountDownLatch(threads);
        IoHooks failAfterAllWrote = new IoHooks() {
            @Override
            public void beforeWrite(Path logFile) {
                allWritten.countDown();
            }

            @Override
            public void beforeFsync(Path logFile) throws IOException {
                try {
                    allWritten.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new IOException("injected fsync failure");
            }
        };
        PartitionLog log = open(failAfterAllWrote);
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        List<Future<AppendResult>> appends = new ArrayList<>();
        try {
            for (int i = 0; i < threads; i++) {
                appends.add(executor.submit(() -> log.append(records("v"))));
            }
            for (Future<AppendResult> append : appends) {
                assertThatThrownBy(() -> append.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(StorageException.class);
            }
        } finally {
            executor.shutdownNow();
        }
        assertThat(log.highWatermark()).isZero();
    }

    @Test
    void reopen_afterFailure_recoversWithoutCleanMarker() {
        PartitionLog log = PartitionLog.open(
                directory, PARTITION, LogConfig.defaults(), new ManualTime(), PartitionLog.Options.standalone(faults));
        log.append(records("durable"));
        failFsync.set(true);
        assertThatThrownBy(() -> log.append(records("maybe"))).isInstanceOf(StorageException.class);
        log.close();

        PartitionLog reopened = open(IoHooks.NONE);

        assertThat(reopened.recoveryReport().cleanShutdown()).isFalse();
        assertThat(reopened.isFailed()).isFalse();
        assertThat(TestLogs.values(reopened, 0)).startsWith("durable");
        reopened.append(records("after restart"));
    }
}
