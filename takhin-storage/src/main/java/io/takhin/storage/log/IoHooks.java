package io.takhin.storage.log;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Test seam around the data path: called before every write to and every fsync of a segment's
 * .log file, so tests can count fsyncs, slow them down or make them fail. Implementations must be
 * thread-safe; production uses {@link #NONE}.
 */
interface IoHooks {
    IoHooks NONE = new IoHooks() {};

    default void beforeWrite(Path logFile) throws IOException {}

    default void beforeFsync(Path logFile) throws IOException {}
}
