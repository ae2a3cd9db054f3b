package io.takhin.storage.log;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates the storage's scheduler threads: named, daemon, logging what escapes a task. Stateless. */
final class StorageThreads {
    private static final Logger log = LoggerFactory.getLogger(StorageThreads.class);

    private StorageThreads() {}

    /** A one-thread scheduler whose cancelled tasks are removed at once rather than at their time. */
    static ScheduledExecutorService scheduler(String threadName) {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, threadName);
            thread.setDaemon(true);
            thread.setUncaughtExceptionHandler(
                    (failed, error) -> log.error("Uncaught exception in {}", failed.getName(), error));
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        return Executors.unconfigurableScheduledExecutorService(executor);
    }
}
