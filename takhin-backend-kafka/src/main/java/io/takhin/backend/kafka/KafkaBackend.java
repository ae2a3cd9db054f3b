package io.takhin.backend.kafka;

import io.takhin.backend.Backend;
import io.takhin.backend.Consumers;
import io.takhin.backend.GroupAdmin;
import io.takhin.backend.Producer;
import io.takhin.backend.TopicAdmin;
import java.time.Duration;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API over an Apache Kafka cluster: one Admin client, one shared producer, one
 * KafkaConsumer per HTTP consumer. Starting does not need the cluster to be up: an unreachable
 * cluster is reported in one log line and by {@link #status()}, requests answer 503 {@code
 * backend_unavailable}, and everything recovers when it answers again. Thread-safe.
 */
public final class KafkaBackend implements Backend {
    private static final Logger log = LoggerFactory.getLogger(KafkaBackend.class);

    private final Admin admin;
    private final KafkaProducer<byte[], byte[]> producer;
    private final Availability availability;
    private final KafkaTopicAdmin topics;
    private final KafkaRecordProducer records;
    private final KafkaConsumers consumers;
    private final KafkaGroupAdmin groups;

    private KafkaBackend(KafkaBackendConfig config, Admin admin, KafkaProducer<byte[], byte[]> producer) {
        String cluster = config.bootstrapServers();
        long adminTimeoutMs = config.adminMillis(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG);
        this.admin = admin;
        this.producer = producer;
        this.availability = new Availability(admin, cluster);
        TopicDirectory directory = new TopicDirectory();
        this.topics = new KafkaTopicAdmin(admin, availability, directory, cluster, adminTimeoutMs);
        this.records = new KafkaRecordProducer(
                producer,
                topics,
                availability,
                cluster,
                config.producerMillis(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG) + 5_000);
        this.consumers = new KafkaConsumers(config, topics, directory, availability);
        topics.onTopicChanged(consumers::topicChanged);
        this.groups = new KafkaGroupAdmin(admin, consumers, availability, cluster, adminTimeoutMs);
    }

    /**
     * Creates the clients and probes the cluster once.
     *
     * @throws IllegalArgumentException if kafka-clients refuses the settings (the message says which)
     */
    public static KafkaBackend connect(KafkaBackendConfig config) {
        log.info("Connecting to the Kafka cluster at {}", config.bootstrapServers());
        Admin admin;
        try {
            admin = Admin.create(config.admin());
        } catch (KafkaException e) {
            throw new IllegalArgumentException(describe(e), e);
        }
        KafkaProducer<byte[], byte[]> producer;
        try {
            producer = new KafkaProducer<>(config.producer());
        } catch (KafkaException e) {
            admin.close(Duration.ZERO);
            throw new IllegalArgumentException(describe(e), e);
        }
        return new KafkaBackend(config, admin, producer);
    }

    private static String describe(KafkaException e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        return "kafka-clients refused the kafka.* settings: " + cause.getMessage();
    }

    @Override
    public String name() {
        return "kafka";
    }

    @Override
    public TopicAdmin topics() {
        return topics;
    }

    @Override
    public Producer producer() {
        return records;
    }

    @Override
    public Consumers consumers() {
        return consumers;
    }

    @Override
    public GroupAdmin groups() {
        return groups;
    }

    @Override
    public Status status() {
        return availability.status();
    }

    @Override
    public void close() {
        try {
            consumers.close();
        } finally {
            availability.close();
            producer.close(Duration.ofSeconds(5));
            admin.close(Duration.ofSeconds(5));
        }
    }
}
