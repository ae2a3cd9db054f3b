package io.takhin.backend.kafka;

import io.takhin.backend.Assignment;
import io.takhin.backend.ConsumerHandle;
import io.takhin.backend.Consumers;
import io.takhin.backend.SubscribeRequest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * Creates one {@link KafkaConsumerHandle} per HTTP consumer and remembers the live ones, for group
 * descriptions (the HTTP client's address) and shutdown. Thread-safe.
 */
final class KafkaConsumers implements Consumers, AutoCloseable {
    /** How long subscribe waits for the group to give the new member its share. */
    static final long JOIN_TIMEOUT_MS = 30_000;

    private final KafkaBackendConfig config;
    private final KafkaTopicAdmin topics;
    private final Availability availability;
    /** Completes long polls off the consumers' threads: the request's response is encoded there. */
    private final ExecutorService completions = Executors.newVirtualThreadPerTaskExecutor();

    private final Map<String, Live> live = new ConcurrentHashMap<>();

    private record Live(KafkaConsumerHandle handle, String clientHost) {}

    KafkaConsumers(KafkaBackendConfig config, KafkaTopicAdmin topics, Availability availability) {
        this.config = config;
        this.topics = topics;
        this.availability = availability;
    }

    @Override
    public ConsumerHandle subscribe(SubscribeRequest request) {
        availability.require("subscribing to " + request.topics());
        for (String topic : request.topics()) {
            topics.partitionCount(topic); // topic_not_found names the first missing topic
        }
        String reset = request.autoOffsetReset() == SubscribeRequest.OffsetReset.EARLIEST ? "earliest" : "latest";
        KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(config.consumer(request.groupId(), request.consumerId(), reset));
        String consumerId = request.consumerId();
        KafkaConsumerHandle handle = KafkaConsumerHandle.start(
                request,
                consumer,
                config.bootstrapServers(),
                completions,
                config.consumerMillis(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG) + 5_000,
                () -> live.remove(consumerId));
        live.put(consumerId, new Live(handle, request.clientHost()));
        try {
            handle.awaitFirstAssignment(JOIN_TIMEOUT_MS);
        } catch (RuntimeException e) {
            handle.close();
            throw e;
        }
        return handle;
    }

    /** The HTTP client's address of a consumer of this server, by its id (Kafka's client id). */
    Optional<String> clientHost(String consumerId) {
        return Optional.ofNullable(live.get(consumerId)).map(Live::clientHost);
    }

    /** The generation this server's members of the group last saw, if it has any. */
    Optional<Integer> generation(String groupId) {
        return live.values().stream()
                .map(Live::handle)
                .filter(handle -> handle.groupId().equals(groupId))
                .map(KafkaConsumerHandle::assignment)
                .map(Assignment::generationId)
                .filter(generation -> generation >= 0)
                .max(Integer::compare);
    }

    @Override
    public void close() {
        List<Live> all = List.copyOf(live.values());
        all.parallelStream().forEach(entry -> entry.handle().close());
        completions.shutdown();
    }
}
