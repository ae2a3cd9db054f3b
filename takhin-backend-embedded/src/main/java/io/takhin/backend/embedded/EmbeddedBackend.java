package io.takhin.backend.embedded;

import io.takhin.backend.Backend;
import io.takhin.backend.Consumers;
import io.takhin.backend.GroupAdmin;
import io.takhin.backend.Producer;
import io.takhin.backend.TopicAdmin;
import io.takhin.common.Time;
import io.takhin.coordinator.CoordinatorConfig;
import io.takhin.coordinator.GroupCoordinator;
import io.takhin.storage.log.LogConfig;
import io.takhin.storage.log.LogManager;
import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The embedded store as a {@link Backend}. Thread-safe; owns the {@link LogManager} and the
 * {@link GroupCoordinator} it opens.
 *
 * <p>On disk: {@code <dataDir>/topics} is the log manager's directory (one directory per topic) and
 * {@code <dataDir>/groups} the coordinator's committed-offsets log; kept apart so no topic name can
 * collide with the coordinator's files.
 */
public final class EmbeddedBackend implements Backend {
    private final LogManager logs;
    private final GroupCoordinator coordinator;
    private final ExecutorService pollExecutor;
    private final EmbeddedTopicAdmin topics;
    private final EmbeddedProducer producer;
    private final EmbeddedConsumers consumers;
    private final EmbeddedGroupAdmin groups;

    private EmbeddedBackend(LogManager logs, GroupCoordinator coordinator, LiveConsumers live, Time time) {
        this.logs = logs;
        this.coordinator = coordinator;
        this.pollExecutor = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("poll-", 0).factory());
        this.topics = new EmbeddedTopicAdmin(logs, coordinator);
        this.producer = new EmbeddedProducer(logs);
        this.consumers = new EmbeddedConsumers(logs, coordinator, live, pollExecutor, time);
        this.groups = new EmbeddedGroupAdmin(coordinator, logs);
    }

    /** Opens (and if needed recovers) the store and the committed offsets in {@code dataDir}. */
    public static EmbeddedBackend open(Path dataDir, LogConfig config, Time time) {
        LogManager logs = LogManager.open(topicsDirectory(dataDir), config, time);
        LiveConsumers live = new LiveConsumers();
        try {
            GroupCoordinator coordinator = GroupCoordinator.start(
                    CoordinatorConfig.defaults(dataDir.resolve("groups")),
                    topic -> logs.topic(topic)
                            .map(found -> OptionalInt.of(found.partitionCount()))
                            .orElse(OptionalInt.empty()),
                    time,
                    live);
            return new EmbeddedBackend(logs, coordinator, live, time);
        } catch (RuntimeException e) {
            logs.close();
            throw e;
        }
    }

    /** Where the topics of a data directory live. */
    public static Path topicsDirectory(Path dataDir) {
        return dataDir.resolve("topics");
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

    @Override
    public Consumers consumers() {
        return consumers;
    }

    @Override
    public GroupAdmin groups() {
        return groups;
    }

    /** The store itself, for tests and tools in this process. */
    public LogManager logs() {
        return logs;
    }

    /** Stops the coordinator (which flushes committed offsets), then the store. */
    @Override
    public void close() {
        try {
            coordinator.close();
            pollExecutor.shutdownNow();
        } finally {
            logs.close();
        }
    }
}
