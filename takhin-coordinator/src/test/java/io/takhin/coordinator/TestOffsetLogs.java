package io.takhin.coordinator;

import io.takhin.common.ManualTime;
import io.takhin.common.StorageException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Opens real offsets logs (over a partition log) and wraps them so a test can count appends and
 * make appends or opens fail. Thread-safe (volatile switches, a concurrent list).
 */
final class TestOffsetLogs implements OffsetLog.Opener {
    private final OffsetLog.Opener real = PartitionOffsetLog.opener(new ManualTime());
    /** Records per append, in order. */
    final List<Integer> appends = new CopyOnWriteArrayList<>();

    volatile boolean failAppends;
    volatile boolean failOpens;

    @Override
    public OffsetLog open(Path dir) {
        if (failOpens) {
            throw new StorageException("injected: cannot open " + dir);
        }
        OffsetLog log = real.open(dir);
        return new OffsetLog() {
            @Override
            public void append(List<OffsetRecord> records) {
                if (failAppends) {
                    throw new StorageException("injected: append failed");
                }
                log.append(records);
                appends.add(records.size());
            }

            @Override
            public long replay(Consumer<OffsetRecord> visitor) {
                return log.replay(visitor);
            }

            @Override
            public void close() {
                log.close();
            }
        };
    }
}
