package io.takhin.backend;

import java.time.Duration;
import java.util.List;

/**
 * What a consumer subscribes with. Immutable.
 *
 * @param consumerId the session's id, also the group member id
 * @param clientHost the client's address, shown in group descriptions
 * @param sessionTimeout how long the consumer may stay silent before the session layer closes it;
 *     a backend with its own liveness protocol (Kafka) sizes its group session with it
 */
public record SubscribeRequest(
        String consumerId,
        String groupId,
        List<String> topics,
        OffsetReset autoOffsetReset,
        Duration sessionTimeout,
        String clientHost) {
    public SubscribeRequest {
        topics = List.copyOf(topics);
    }

    /** Where a consumer starts on a partition for which its group has no committed offset. */
    public enum OffsetReset {
        EARLIEST,
        LATEST
    }
}
