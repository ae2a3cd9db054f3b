package io.takhin.backend.embedded;

import io.takhin.backend.TopicAdmin;
import io.takhin.backend.TopicInfo;
import io.takhin.storage.log.LogManager;
import io.takhin.storage.log.PartitionLog;
import io.takhin.storage.log.Topic;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Topic admin over the {@link LogManager}. Thread-safe (the log manager is). */
final class EmbeddedTopicAdmin implements TopicAdmin {
    private final LogManager logs;

    EmbeddedTopicAdmin(LogManager logs) {
        this.logs = logs;
    }

    @Override
    public TopicInfo create(String name, int partitions) {
        return describe(logs.createTopic(name, partitions));
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
