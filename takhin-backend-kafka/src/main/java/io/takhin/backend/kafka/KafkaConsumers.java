package io.takhin.backend.kafka;

import io.takhin.backend.Assignment;
import io.takhin.backend.ConsumerHandle;
import io.takhin.backend.Consumers;
import io.takhin.backend.FetchPreparer;
import io.takhin.backend.SubscribeRequest;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.jspecify.annotations.Nullable;

/**
 * Creates one {@link KafkaConsumerHandle} per HTTP consumer and remembers the live ones, for group
 * descriptions (the HTTP client's address) and shutdown. Thread-safe.
 */
final class KafkaConsumers implements Consumers, AutoCloseable {
    /** How long subscribe waits for the group to give the new member its share. */
    static final long JOIN_TIMEOUT_MS = 30_000;
    /** How long a topic change or a departure waits for this server's members to rebalance. */
    private static final long REBALANCE_WAIT_MS = 10_000;

    private final KafkaBackendConfig config;
    private final KafkaTopicAdmin topics;
    private final Availability availability;
    /** Completes long polls off the consumers' threads: the request's response is encoded there. */
    private final ExecutorService completions = Executors.newVirtualThreadPerTaskExecutor();

    private final TopicDirectory directory;
    /** Set once at startup, before any subscribe (B4). */
    private volatile @Nullable FetchPreparer preparer;

    private final Map<String, Live> live = new ConcurrentHashMap<>();
    private volatile boolean closing;

    private record Live(KafkaConsumerHandle handle, String clientHost) {}

    KafkaConsumers(
            KafkaBackendConfig config, KafkaTopicAdmin topics, TopicDirectory directory, Availability availability) {
        this.config = config;
        this.topics = topics;
        this.directory = directory;
        this.availability = availability;
    }

    @Override
    public void prepareWith(FetchPreparer preparer) {
        this.preparer = preparer;
    }

    @Override
    public ConsumerHandle subscribe(SubscribeRequest request) {
        availability.require("subscribing to " + request.topics());
        for (String topic : request.topics()) {
            topics.partitionCount(topic); // topic_not_found names the first missing topic
        }
        String reset = request.autoOffsetReset() == SubscribeRequest.OffsetReset.EARLIEST ? "earliest" : "latest";
        MemberContext member = new MemberContext(directory);
        KafkaConsumer<ByteBuffer, ByteBuffer> consumer =
                new KafkaConsumer<>(config.consumer(request.groupId(), request.consumerId(), reset, member));
        String consumerId = request.consumerId();
        KafkaConsumerHandle handle = new KafkaConsumerHandle(
                request,
                consumer,
                member,
                topics,
                config.bootstrapServers(),
                completions,
                preparer,
                config.consumerMillis(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG) + 5_000,
                () -> live.remove(consumerId));
        // A departure rebalances the rest of the group now, and close answers once it has (K7).
        handle.afterClose(() -> {
            if (!closing) {
                awaitRebalance(peers(request.groupId()));
            }
        });
        List<KafkaConsumerHandle> peers = peers(request.groupId());
        List<CompletableFuture<Void>> peersDone = new ArrayList<>();
        peers.forEach(peer -> peersDone.add(peer.nextRebalance(false)));
        live.put(consumerId, new Live(handle, request.clientHost()));
        try {
            handle.awaitFirstAssignment(JOIN_TIMEOUT_MS);
        } catch (RuntimeException e) {
            handle.close();
            throw e;
        }
        // The join rebalanced the others too; answer once they have their new shares (K7).
        await(peersDone);
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

    /**
     * After this server created or deleted {@code topic}: its members subscribed to it rebalance
     * now (their leader's assignor knows the change, K6), and this waits until they have, so the
     * next request sees the new assignment. Bounded.
     */
    void topicChanged(String topic) {
        awaitRebalance(live.values().stream()
                .map(Live::handle)
                .filter(handle -> handle.topics().contains(topic))
                .toList());
    }

    private List<KafkaConsumerHandle> peers(String groupId) {
        return live.values().stream()
                .map(Live::handle)
                .filter(handle -> handle.groupId().equals(groupId))
                .toList();
    }

    /** Rebalances these members' groups now and waits (bounded) until each has its new share. */
    private static void awaitRebalance(List<KafkaConsumerHandle> members) {
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (KafkaConsumerHandle member : members) {
            done.add(member.nextRebalance(true));
        }
        await(done);
    }

    private static void await(List<CompletableFuture<Void>> done) {
        try {
            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new))
                    .get(REBALANCE_WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // Members elsewhere (or a slow group) finish later; the change reaches them all anyway.
        }
    }

    @Override
    public void close() {
        closing = true;
        List<Live> all = List.copyOf(live.values());
        all.parallelStream().forEach(entry -> entry.handle().close());
        completions.shutdown();
    }
}
