package io.takhin.backend.embedded;

import io.takhin.backend.TopicAdmin;
import io.takhin.backend.TopicInfo;
import io.takhin.coordinator.GroupCoordinator;
import io.takhin.storage.log.LogManager;
import io.takhin.storage.log.PartitionLog;
import io.takhin.storage.log.Topic;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Topic admin over the {@link LogManager}; tells the coordinator so subscribed groups rebalance.
 * Thread-safe (the log manager and coordinator are).
 */
final class EmbeddedTopicAdmin implements TopicAdmin {
    private final LogManager logs;
    private final GroupCoordinator coordinator;

    EmbeddedTopicAdmin(LogManager logs, GroupCoordinator coordinator) {
        this.logs = logs;
        this.coordinator = coordinator;
    }

    @Override
    public TopicInfo create(String name, int partitions) {
        TopicInfo created = describe(logs.createTopic(name, partitions));
        Futures.await(coordinator.topicCreated(name, partitions));
        return created;
    }

    @Override
    public List<TopicInfo> list() {
        List<TopicInfo> result = new ArrayList<>();
        for (Topic topic : logs.topics()) {
            result.add(describe(topic));
        }
        return result;
    }

    @Override
    public Optional<TopicInfo> describe(String name) {
        return logs.topic(name).map(EmbeddedTopicAdmin::describe);
    }

    @Override
    public void delete(String name) {
        logs.deleteTopic(name);
        Futures.await(coordinator.topicDeleted(name));
    }

    private static TopicInfo describe(Topic topic) {
        List<TopicInfo.PartitionInfo> partitions = new ArrayList<>(topic.partitionCount());
        for (PartitionLog log : topic.partitions()) {
            // Read the high watermark first: the log start offset can only be <= it.
            long highWatermark = log.highWatermark();
            long logStartOffset = Math.min(log.logStartOffset(), highWatermark);
            partitions.add(
                    new TopicInfo.PartitionInfo(log.topicPartition().partition(), logStartOffset, highWatermark));
        }
        return new TopicInfo(topic.name(), partitions);
    }
}
