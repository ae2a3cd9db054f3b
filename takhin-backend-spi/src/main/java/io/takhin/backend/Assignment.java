package io.takhin.backend;

import io.takhin.common.TopicPartition;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** A consumer's partitions and the group generation that assigned them. Immutable. */
public record Assignment(int generationId, Set<TopicPartition> partitions) {
    public Assignment {
        partitions = Set.copyOf(partitions);
    }

    /** The partitions grouped by topic, both sorted, as the API shows them. */
    public Map<String, List<Integer>> byTopic() {
        Map<String, TreeSet<Integer>> sorted = new TreeMap<>();
        for (TopicPartition partition : partitions) {
            sorted.computeIfAbsent(partition.topic(), topic -> new TreeSet<>()).add(partition.partition());
        }
        Map<String, List<Integer>> result = new TreeMap<>();
        sorted.forEach((topic, ids) -> result.put(topic, List.copyOf(ids)));
        return result;
    }
}
