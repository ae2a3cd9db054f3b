package io.takhin.server;

import io.takhin.backend.kafka.KafkaBackendConfig;
import io.takhin.http.HttpConfig;
import io.takhin.session.SessionConfig;
import io.takhin.storage.log.LogConfig;
import java.nio.file.Path;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The whole configuration, built once at startup from {@link ConfigValues}. Immutable. */
record ServerConfig(
        Path dataDir,
        String backend,
        @Nullable KafkaBackendConfig kafka,
        LogConfig log,
        HttpConfig http,
        SessionConfig sessions) {
    static final String EMBEDDED = "embedded";
    static final String KAFKA = "kafka";

    static ServerConfig from(ConfigValues values) {
        String backend = values.string(Settings.BACKEND);
        Map<String, String> kafkaProperties = values.kafkaClientProperties();
        KafkaBackendConfig kafka = null;
        switch (backend) {
            case EMBEDDED -> {
                if (!kafkaProperties.isEmpty()) {
                    throw new ConfigException("kafka.* settings " + kafkaProperties.keySet()
                            + " are only for --backend=kafka (the backend is embedded)");
                }
            }
            case KAFKA -> {
                try {
                    kafka = new KafkaBackendConfig(kafkaProperties);
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(e.getMessage());
                }
            }
            default ->
                throw new ConfigException("invalid value '" + backend + "' for backend; allowed: embedded, kafka");
        }
        ConfigValues.HostPort api = values.hostPort(Settings.API_ADDR);
        LogConfig log;
        HttpConfig http;
        try {
            log = new LogConfig(
                    values.number(Settings.SEGMENT_BYTES),
                    values.number(Settings.SEGMENT_MS),
                    values.integer(Settings.INDEX_INTERVAL_BYTES),
                    values.number(Settings.RETENTION_BYTES),
                    values.number(Settings.RETENTION_MS),
                    values.number(Settings.FLUSH_INTERVAL_MS),
                    values.number(Settings.RETENTION_CHECK_INTERVAL_MS));
            http = new HttpConfig(
                    api.host(),
                    api.port(),
                    values.number(Settings.MAX_BODY_BYTES),
                    values.number(Settings.MAX_PRODUCE_BODY_BYTES),
                    values.integer(Settings.MAX_HEADER_BYTES),
                    values.number(Settings.IDLE_TIMEOUT_MS),
                    values.integer(Settings.MAX_CONCURRENT_REQUESTS),
                    values.integer(Settings.ACCEPT_QUEUE_SIZE),
                    values.integer(Settings.MAX_PARTITIONS_PER_TOPIC));
        } catch (IllegalArgumentException e) {
            // A combination the ranges alone cannot catch; the component's message names the field.
            throw new ConfigException("invalid configuration: " + e.getMessage());
        }
        return new ServerConfig(
                Path.of(values.string(Settings.DATA_DIR)),
                backend,
                kafka,
                log,
                http,
                new SessionConfig(values.integer(Settings.MAX_CONSUMERS), values.number(Settings.MAX_RESPONSE_BYTES)));
    }
}
