package io.takhin.backend.embedded;

import io.takhin.backend.Backend;
import io.takhin.backend.Producer;
import io.takhin.backend.TopicAdmin;
import io.takhin.common.Time;
import io.takhin.storage.log.LogConfig;
import io.takhin.storage.log.LogManager;
import java.nio.file.Path;

/** The embedded store as a {@link Backend}. Thread-safe; owns the {@link LogManager} it opens. */
public final class EmbeddedBackend implements Backend {
    private final LogManager logs;
    private final EmbeddedTopicAdmin topics;
    private final EmbeddedProducer producer;

    private EmbeddedBackend(LogManager logs) {
        this.logs = logs;
        this.topics = new EmbeddedTopicAdmin(logs);
        this.producer = new EmbeddedProducer(logs);
    }

    /** Opens (and if needed recovers) the store in {@code dataDir}. */
    public static EmbeddedBackend open(Path dataDir, LogConfig config, Time time) {
        return new EmbeddedBackend(LogManager.open(dataDir, config, time));
    }

    @Override
    public String name() {
        return "embedded";
    }

    @Override
    public TopicAdmin topics() {
        return topics;
    }

    @Override
    public Producer producer() {
        return producer;
    }

    /** The store itself, for the consumer layer and tests in this process. */
    public LogManager logs() {
        return logs;
    }

    @Override
    public void close() {
        logs.close();
    }
}
