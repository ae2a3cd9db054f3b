package io.takhin.storage.log;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs {@link LogInvariants#check} after each test on every log the test registered with
 * {@link #track}, then closes them. Register per test instance:
 * {@code @RegisterExtension final LogInvariantsExtension invariants = new LogInvariantsExtension();}.
 * Logs the test closed itself are not checked (their files are shut). Thread-safe (copy-on-write lists).
 */
public final class LogInvariantsExtension implements AfterEachCallback {
    private final List<PartitionLog> logs = new CopyOnWriteArrayList<>();
    private final List<LogManager> managers = new CopyOnWriteArrayList<>();

    /** Checks this log after the test, then closes it. */
    public PartitionLog track(PartitionLog log) {
        logs.add(log);
        return log;
    }

    /** Checks every partition of every topic of this manager after the test, then closes it. */
    public LogManager track(LogManager manager) {
        managers.add(manager);
        return manager;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        List<PartitionLog> checked = new ArrayList<>(logs);
        for (LogManager manager : managers) {
            for (Topic topic : manager.topics()) {
                checked.addAll(topic.partitions());
            }
        }
        try {
            for (PartitionLog log : checked) {
                if (!log.isClosed()) {
                    LogInvariants.check(log);
                }
            }
        } finally {
            logs.forEach(PartitionLog::close);
            managers.forEach(LogManager::close);
            logs.clear();
            managers.clear();
        }
    }
}
