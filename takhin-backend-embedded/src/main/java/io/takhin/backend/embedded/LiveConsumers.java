package io.takhin.backend.embedded;

import io.takhin.common.TopicPartition;
import io.takhin.coordinator.RevocationListener;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live embedded consumers by member id (consumer ids are unique across groups), so the
 * coordinator's revocations reach their positions. Thread-safe (a concurrent map); the callback runs
 * on the coordinator thread and only updates maps.
 */
final class LiveConsumers implements RevocationListener {
    private final ConcurrentHashMap<String, EmbeddedConsumer> byMemberId = new ConcurrentHashMap<>();

    void add(EmbeddedConsumer consumer) {
        byMemberId.put(consumer.memberId(), consumer);
    }

    void remove(String memberId) {
        byMemberId.remove(memberId);
    }

    @Override
    public void revoked(String groupId, String memberId, Set<TopicPartition> partitions) {
        EmbeddedConsumer consumer = byMemberId.get(memberId);
        if (consumer != null) {
            consumer.revoked(partitions);
        }
    }
}
