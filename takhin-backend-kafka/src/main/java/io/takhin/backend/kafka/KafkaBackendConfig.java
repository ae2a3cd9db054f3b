package io.takhin.backend.kafka;

import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.ByteBufferDeserializer;

/**
 * The kafka-clients settings of the backend's three kinds of client. Each client gets Takhin's
 * defaults, overridden by the user's {@code kafka.*} settings (prefix removed) that apply to that
 * kind of client, then the few settings Takhin must control (serializers, no auto-commit, the
 * group and client ids). Immutable.
 *
 * @param clientProperties the user's settings, e.g. {@code bootstrap.servers}, {@code security.protocol}
 */
public record KafkaBackendConfig(Map<String, String> clientProperties) {
    /** Takhin's defaults where Kafka's do not suit an HTTP server (each is documented in the README). */
    private static final Map<String, String> ADMIN_DEFAULTS = Map.of(
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000",
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000");

    private static final Map<String, String> PRODUCER_DEFAULTS = Map.of(
            ProducerConfig.ACKS_CONFIG, "all",
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
            ProducerConfig.LINGER_MS_CONFIG, "0",
            ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000",
            ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000",
            ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");

    private static final Map<String, String> CONSUMER_DEFAULTS = Map.of(
            // The classic protocol, whose assignor runs in a member (TakhinAssignor, set below).
            ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic",
            // Members learn of a rebalance at their next heartbeat: keep membership changes prompt.
            ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "500",
            // Only matters if this server dies: its members then leave the group after this long.
            ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "10000",
            ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "10000",
            ConsumerConfig.FETCH_MAX_BYTES_CONFIG, String.valueOf(16 * 1024 * 1024),
            ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000",
            ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000",
            // Notice deleted topics and new partitions within seconds, not Kafka's five minutes.
            ConsumerConfig.METADATA_MAX_AGE_CONFIG, "5000");

    public KafkaBackendConfig {
        clientProperties = Map.copyOf(clientProperties);
        if (clientProperties
                .getOrDefault(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "")
                .isBlank()) {
            throw new IllegalArgumentException(
                    "the Kafka backend needs kafka.bootstrap.servers=HOST:PORT[,HOST:PORT...]");
        }
        Set<String> unknown = new TreeSet<>(clientProperties.keySet());
        unknown.removeAll(AdminClientConfig.configNames());
        unknown.removeAll(ProducerConfig.configNames());
        unknown.removeAll(ConsumerConfig.configNames());
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("not a kafka-clients setting: "
                    + unknown.stream().map(key -> "kafka." + key).toList()
                    + " (see https://kafka.apache.org/documentation/#configuration)");
        }
    }

    /** The cluster's bootstrap servers, for messages. */
    public String bootstrapServers() {
        return clientProperties.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
    }

    Properties admin() {
        Properties properties = layered(ADMIN_DEFAULTS, AdminClientConfig.configNames());
        properties.put(AdminClientConfig.CLIENT_ID_CONFIG, "takhin-admin");
        return properties;
    }

    Properties producer() {
        Properties properties = layered(PRODUCER_DEFAULTS, ProducerConfig.configNames());
        properties.put(ProducerConfig.CLIENT_ID_CONFIG, "takhin-producer");
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return properties;
    }

    /**
     * A member's settings; its client id is the HTTP consumer id, so group descriptions show it. The
     * assignor is always {@link TakhinAssignor} (manual assignment and topic changes rely on it).
     */
    Properties consumer(String groupId, String consumerId, String autoOffsetReset, MemberContext member) {
        Properties properties = layered(CONSUMER_DEFAULTS, ConsumerConfig.configNames());
        properties.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, TakhinAssignor.class.getName());
        properties.put(TakhinAssignor.CONTEXT_CONFIG, member);
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, consumerId);
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, autoOffsetReset);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteBufferDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteBufferDeserializer.class.getName());
        return properties;
    }

    /** A setting's effective value (the user's, else Takhin's default) for one kind of client, in ms. */
    long consumerMillis(String key) {
        return millis(CONSUMER_DEFAULTS, ConsumerConfig.configNames(), key);
    }

    long adminMillis(String key) {
        return millis(ADMIN_DEFAULTS, AdminClientConfig.configNames(), key);
    }

    long producerMillis(String key) {
        return millis(PRODUCER_DEFAULTS, ProducerConfig.configNames(), key);
    }

    private long millis(Map<String, String> defaults, Set<String> known, String key) {
        String value = layered(defaults, known).getProperty(key);
        if (value == null) {
            throw new IllegalStateException("no default for " + key);
        }
        return Long.parseLong(value.trim());
    }

    private Properties layered(Map<String, String> defaults, Set<String> known) {
        Map<String, String> merged = new TreeMap<>(defaults);
        clientProperties.forEach((key, value) -> {
            if (known.contains(key)) {
                merged.put(key, value);
            }
        });
        Properties properties = new Properties();
        properties.putAll(merged);
        return properties;
    }
}
