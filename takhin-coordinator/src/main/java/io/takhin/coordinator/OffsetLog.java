package io.takhin.coordinator;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * One generation of the offsets log: an append-only sequence of {@link OffsetRecord}s in a
 * directory. {@link OffsetStore} layers snapshots and compaction on top. Not thread-safe; confined
 * to the coordinator thread (or the thread that opens the store, before the coordinator starts).
 */
interface OffsetLog extends AutoCloseable {
    /**
     * Appends the records as one batch and returns once they are durable (fsynced).
     *
     * @throws io.takhin.common.StorageException if the write or the fsync fails
     */
    void append(List<OffsetRecord> records);

    /**
     * Calls {@code visitor} with every record of the log, in order.
     *
     * @return the number of records visited
     */
    long replay(Consumer<OffsetRecord> visitor);

    @Override
    void close();

    /** Opens (creating if needed, recovering if it exists) the log in a directory. */
    @FunctionalInterface
    interface Opener {
        OffsetLog open(Path dir);
    }
}
