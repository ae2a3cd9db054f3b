package io.takhin.backend.kafka;

import io.takhin.backend.TopicAdmin;
import io.takhin.backend.TopicInfo;
import io.takhin.common.ErrorCode;
import io.takhin.common.TakhinException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Topics through Kafka's Admin client. Topics are created with the cluster's default replication
 * factor. Create and delete return once the brokers' metadata shows the change, so the next request
 * (a produce after a create, a create after a delete) sees it. Thread-safe.
 */
final class KafkaTopicAdmin implements TopicAdmin {
    /** How long a topic's partition count is trusted before it is described again. */
    private static final long PARTITION_COUNT_TTL_NANOS = 2_000_000_000L;

    private static final long METADATA_WAIT_MS = 10_000;

    private final Admin admin;
    private final Availability availability;
    private final String cluster;
    private final long timeoutMs;
    private final Map<String, CachedCount> partitionCounts = new ConcurrentHashMap<>();
    private final TopicDirectory directory;
    /** Told after this server created or deleted a topic (the consumers rebalance their members). */
    private volatile Consumer<String> onTopicChanged = topic -> {};

    private record CachedCount(int partitions, long fetchedNanos) {}

    KafkaTopicAdmin(Admin admin, Availability availability, TopicDirectory directory, String cluster, long timeoutMs) {
        this.admin = admin;
        this.directory = directory;
        this.availability = availability;
        this.cluster = cluster;
        this.timeoutMs = timeoutMs;
    }

    @Override
    public TopicInfo create(String name, int partitions) {
        availability.require("creating topic '" + name + "'");
        await(
                admin.createTopics(List.of(new NewTopic(name, Optional.of(partitions), Optional.empty())))
                        .all(),
                "creating topic '" + name + "'");
        awaitMetadata(name, true);
        // The leaders answer offset requests only once they serve the partition: a produce sent
        // before then can get NOT_LEADER and leave the idempotent producer retrying out of order.
        Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            ends.put(new TopicPartition(name, p), OffsetSpec.latest());
        }
        await(admin.listOffsets(ends).all(), "waiting for the leaders of topic '" + name + "'");
        directory.exists(name, partitions);
        onTopicChanged.accept(name);
        List<TopicInfo.PartitionInfo> empty = new ArrayList<>(partitions);
        for (int p = 0; p < partitions; p++) {
            empty.add(new TopicInfo.PartitionInfo(p, 0, 0));
        }
        return new TopicInfo(name, empty);
    }

    @Override
    public List<TopicInfo> list() {
        availability.require("listing topics");
        Set<String> names = await(
                admin.listTopics(new ListTopicsOptions().listInternal(false)).names(), "listing topics");
        return describeAll(new TreeSet<>(names));
    }

    @Override
    public Optional<TopicInfo> describe(String name) {
        availability.require("describing topic '" + name + "'");
        List<TopicInfo> found = describeAll(List.of(name));
        return found.isEmpty() ? Optional.empty() : Optional.of(found.getFirst());
    }

    @Override
    public void delete(String name) {
        availability.require("deleting topic '" + name + "'");
        try {
            await(admin.deleteTopics(List.of(name)).all(), "deleting topic '" + name + "'");
        } catch (TakhinException e) {
            throw e.code() == ErrorCode.TOPIC_NOT_FOUND ? TakhinException.topicNotFound(name) : e;
        }
        partitionCounts.remove(name);
        awaitMetadata(name, false);
        directory.deleted(name);
        onTopicChanged.accept(name);
    }

    void onTopicChanged(Consumer<String> listener) {
        onTopicChanged = listener;
    }

    /**
     * The topic's partition count (cached for two seconds), or {@code topic_not_found}: the check
     * every produce and subscribe makes before using the topic.
     */
    int partitionCount(String topic) {
        CachedCount cached = partitionCounts.get(topic);
        if (cached != null && System.nanoTime() - cached.fetchedNanos() < PARTITION_COUNT_TTL_NANOS) {
            return cached.partitions();
        }
        Optional<TopicDescription> description = describeOne(topic);
        if (description.isEmpty()) {
            partitionCounts.remove(topic);
            throw TakhinException.topicNotFound(topic);
        }
        int count = description.get().partitions().size();
        partitionCounts.put(topic, new CachedCount(count, System.nanoTime()));
        return count;
    }

    /** The partitions' end offsets (high watermarks), asked of their leaders. */
    Map<TopicPartition, Long> endOffsets(Set<TopicPartition> partitions) {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        partitions.forEach(partition -> latest.put(partition, OffsetSpec.latest()));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
                await(admin.listOffsets(latest).all(), "reading end offsets of " + partitions);
        Map<TopicPartition, Long> result = new HashMap<>();
        ends.forEach((partition, info) -> result.put(partition, info.offset()));
        return result;
    }

    /** One partition's offset for {@code spec} (earliest, latest, or a timestamp: -1 if none). */
    long offset(TopicPartition partition, OffsetSpec spec) {
        return await(
                        admin.listOffsets(Map.of(partition, spec)).partitionResult(partition),
                        "reading offsets of " + partition)
                .offset();
    }

    private Optional<TopicDescription> describeOne(String topic) {
        KafkaFuture<TopicDescription> future =
                admin.describeTopics(List.of(topic)).topicNameValues().get(topic);
        try {
            return Optional.of(await(future, "describing topic '" + topic + "'"));
        } catch (TakhinException e) {
            if (e.code() == ErrorCode.TOPIC_NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Describes the topics that exist (a topic deleted meanwhile is left out) with their offsets. */
    private List<TopicInfo> describeAll(Collection<String> names) {
        if (names.isEmpty()) {
            return List.of();
        }
        Map<String, KafkaFuture<TopicDescription>> futures =
                admin.describeTopics(names).topicNameValues();
        Map<String, TopicDescription> descriptions = new HashMap<>();
        for (String name : names) {
            try {
                descriptions.put(name, futures.get(name).get());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw KafkaErrors.translate(e, "describing topic '" + name + "'", cluster);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TakhinException(ErrorCode.SHUTTING_DOWN, "interrupted: the server is stopping");
            }
        }
        Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        descriptions.forEach((name, description) -> {
            for (TopicPartitionInfo partition : description.partitions()) {
                TopicPartition key = new TopicPartition(name, partition.partition());
                earliest.put(key, OffsetSpec.earliest());
                latest.put(key, OffsetSpec.latest());
            }
        });
        ListOffsetsResult starts = admin.listOffsets(earliest);
        ListOffsetsResult ends = admin.listOffsets(latest);
        List<TopicInfo> result = new ArrayList<>();
        for (String name : new TreeSet<>(descriptions.keySet())) {
            List<TopicInfo.PartitionInfo> partitions = new ArrayList<>();
            try {
                for (TopicPartitionInfo info : descriptions.get(name).partitions()) {
                    TopicPartition key = new TopicPartition(name, info.partition());
                    long end = offset(ends, key);
                    long start = Math.min(offset(starts, key), end);
                    partitions.add(new TopicInfo.PartitionInfo(info.partition(), start, end));
                }
            } catch (TakhinException e) {
                if (e.code() == ErrorCode.TOPIC_NOT_FOUND) {
                    continue; // deleted while we looked
                }
                throw e;
            }
            partitions.sort((a, b) -> Integer.compare(a.id(), b.id()));
            result.add(new TopicInfo(name, partitions));
        }
        return result;
    }

    private long offset(ListOffsetsResult result, TopicPartition partition) {
        return await(result.partitionResult(partition), "reading the offsets of " + partition)
                .offset();
    }

    /** Waits (bounded) until a describe sees the topic as existing or gone. */
    private void awaitMetadata(String topic, boolean exists) {
        long deadline = System.nanoTime() + METADATA_WAIT_MS * 1_000_000;
        while (describeOne(topic).isPresent() != exists) {
            if (System.nanoTime() > deadline) {
                throw KafkaErrors.unavailable(
                        (exists ? "creating" : "deleting") + " topic '" + topic + "'",
                        cluster,
                        "the change did not show in the brokers' metadata within " + METADATA_WAIT_MS + " ms",
                        null);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TakhinException(ErrorCode.SHUTTING_DOWN, "interrupted: the server is stopping");
            }
        }
    }

    private <T> T await(KafkaFuture<T> future, String what) {
        return KafkaErrors.await(future, timeoutMs, what, cluster);
    }
}
