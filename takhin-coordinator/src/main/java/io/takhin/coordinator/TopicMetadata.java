package io.takhin.coordinator;

import java.util.OptionalInt;

/**
 * How the coordinator learns a topic's partition count, the first time a member names the topic.
 * Implemented by the embedded backend over its log manager. Must be thread-safe and must not block
 * for long: it is called on the coordinator thread.
 *
 * <p>After the first lookup the coordinator keeps the count and relies on
 * {@link GroupCoordinator#topicCreated} and {@link GroupCoordinator#topicDeleted} for changes.
 */
@FunctionalInterface
public interface TopicMetadata {
    /** The topic's partition count, or empty if the topic does not exist. */
    OptionalInt partitionCount(String topic);
}
