package io.takhin.backend;

import java.util.List;
import java.util.Optional;

/** Create, list, describe and delete topics. Thread-safe. */
public interface TopicAdmin {
    /**
     * Creates a topic. Throws {@code invalid_argument} for a bad name or a partition count below 1
     * (or above the configured maximum), {@code topic_already_exists} if it exists.
     */
    TopicInfo create(String name, int partitions);

    /** Every topic, sorted by name. */
    List<TopicInfo> list();

    Optional<TopicInfo> describe(String name);

    /** Deletes a topic and its data. Throws {@code topic_not_found} if it does not exist. */
    void delete(String name);
}
