package io.takhin.it;

import io.takhin.kafka.fixture.KafkaCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.jspecify.annotations.Nullable;

/**
 * The backend the black-box suite runs against, chosen by the system property {@code
 * takhin.it.backend}: {@code embedded} (default) or {@code kafka}. For Kafka, one single-node KRaft
 * broker (a separate JVM started from the Maven Central jars, 127.0.0.1) serves the whole test run,
 * and every test class starts from an empty cluster (no topics, no groups).
 */
enum TestBackend {
    EMBEDDED,
    KAFKA;

    /** Tests tagged so run only against the embedded store (they look at its files or settings). */
    static final String EMBEDDED_ONLY = "embedded-only";

    /** Tests tagged so run only against Kafka (they start their own brokers or use Kafka settings). */
    static final String KAFKA_ONLY = "kafka-only";

    static TestBackend current() {
        return valueOf(System.getProperty("takhin.it.backend", "embedded").toUpperCase(Locale.ROOT));
    }

    private static @Nullable KafkaCluster cluster;

    /** The shared broker, started on first use; its processes die with this JVM (the fixture's hook). */
    static synchronized KafkaCluster kafka() {
        if (cluster == null) {
            try {
                cluster = KafkaCluster.start(1, Files.createTempDirectory("takhin-it-kafka-"));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return cluster;
    }

    /** Deletes every topic and consumer group, so a test class sees the empty cluster it expects. */
    static void emptyKafka() {
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka().bootstrapServers()))) {
            Set<String> topics = admin.listTopics(new ListTopicsOptions().listInternal(false))
                    .names()
                    .get(30, TimeUnit.SECONDS);
            if (!topics.isEmpty()) {
                admin.deleteTopics(topics).all().get(30, TimeUnit.SECONDS);
            }
            var groups = admin.listGroups(ListGroupsOptions.forConsumerGroups())
                    .all()
                    .get(30, TimeUnit.SECONDS);
            if (!groups.isEmpty()) {
                admin.deleteConsumerGroups(
                                groups.stream().map(GroupListing::groupId).toList())
                        .all()
                        .get(30, TimeUnit.SECONDS);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!admin.listTopics(new ListTopicsOptions().listInternal(false))
                    .names()
                    .get(30, TimeUnit.SECONDS)
                    .isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("topics still listed 30 s after deleting them");
                }
                Thread.sleep(50);
            }
        } catch (Exception e) {
            throw new IllegalStateException("could not empty the test Kafka cluster", e);
        }
    }
}
