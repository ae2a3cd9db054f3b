package io.takhin.server;

import io.takhin.http.HttpConfig;
import io.takhin.session.SessionConfig;
import io.takhin.storage.log.LogConfig;
import java.nio.file.Path;

/** The whole configuration, built once at startup from {@link ConfigValues}. Immutable. */
record ServerConfig(Path dataDir, String backend, LogConfig log, HttpConfig http, SessionConfig sessions) {

    static ServerConfig from(ConfigValues values) {
        String backend = values.string(Settings.BACKEND);
        if (!backend.equals("embedded")) {
            throw new ConfigException("invalid value '" + backend + "' for backend; allowed: embedded");
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
                log,
                http,
                new SessionConfig(values.integer(Settings.MAX_CONSUMERS), values.number(Settings.MAX_RESPONSE_BYTES)));
    }
}
