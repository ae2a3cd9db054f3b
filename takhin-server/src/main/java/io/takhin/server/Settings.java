package io.takhin.server;

import java.util.List;

/** Every configuration key of the server, defined once (Kafka's ConfigDef). */
final class Settings {
    private Settings() {}

    static final long KIB = 1024;
    static final long MIB = 1024 * KIB;
    static final long GIB = 1024 * MIB;
    static final long DAY_MS = 24L * 3600 * 1000;

    static final Setting DATA_DIR = Setting.string("data-dir", "./data", "Directory of the embedded store.");
    static final Setting API_ADDR = Setting.hostPort(
            "api-addr", "127.0.0.1:8080", "Address the HTTP API listens on (port 0 picks a free port).");
    static final Setting BACKEND = Setting.string(
            "backend",
            "embedded",
            "Where topics live: 'embedded' (this machine's disk) or 'kafka' (a Kafka cluster; give"
                    + " --kafka.bootstrap.servers=HOST:PORT). Any --kafka.<name> is passed to kafka-clients"
                    + " as <name> (SASL, TLS, timeouts...).");

    /** Settings with this prefix go to kafka-clients with the prefix removed. */
    static final String KAFKA_PREFIX = "kafka.";

    static final Setting SEGMENT_BYTES = Setting.number(
            "storage.segment-bytes", GIB, 4 * KIB, 2 * GIB - 1, "Roll a segment when it reaches this size.");
    static final Setting SEGMENT_MS = Setting.number(
            "storage.segment-ms", 7 * DAY_MS, 1000, Long.MAX_VALUE / 4, "Roll a segment older than this.");
    static final Setting INDEX_INTERVAL_BYTES = Setting.number(
            "storage.index-interval-bytes", 4 * KIB, 64, 16 * MIB, "Bytes of log between two index entries.");
    static final Setting RETENTION_BYTES = Setting.number(
            "storage.retention-bytes",
            -1,
            -1,
            Long.MAX_VALUE / 4,
            "Delete old segments while a partition is larger than this (-1: no size limit).");
    static final Setting RETENTION_MS = Setting.number(
            "storage.retention-ms",
            7 * DAY_MS,
            -1,
            Long.MAX_VALUE / 4,
            "Delete segments whose newest record is older than this (-1: keep forever).");
    static final Setting FLUSH_INTERVAL_MS = Setting.number(
            "storage.flush-interval-ms",
            0,
            0,
            60_000,
            "0: fsync before acknowledging every produce (group commit). N > 0: acknowledge after the"
                    + " write and fsync every N ms (faster, loses up to N ms of records on a power cut).");
    static final Setting RETENTION_CHECK_INTERVAL_MS =
            Setting.number("storage.retention-check-interval-ms", 60_000, 100, DAY_MS, "How often retention runs.");

    static final Setting MAX_BODY_BYTES = Setting.number(
            "http.max-body-bytes", MIB, KIB, GIB, "Largest request body, except produce (413 above it).");
    static final Setting MAX_PRODUCE_BODY_BYTES = Setting.number(
            "http.max-produce-body-bytes", 64 * MIB, KIB, GIB, "Largest produce request body (413 above it).");
    static final Setting MAX_HEADER_BYTES =
            Setting.number("http.max-header-bytes", 8 * KIB, KIB, MIB, "Largest request line plus headers.");
    static final Setting IDLE_TIMEOUT_MS = Setting.number(
            "http.idle-timeout-ms",
            330_000,
            1000,
            DAY_MS,
            "Close a connection idle this long; keep it above the longest long poll (300000 ms).");
    static final Setting MAX_CONCURRENT_REQUESTS = Setting.number(
            "http.max-concurrent-requests", 4096, 1, 1_000_000, "Requests in flight at once (429 above it).");
    static final Setting ACCEPT_QUEUE_SIZE =
            Setting.number("http.accept-queue-size", 1024, 1, 65_535, "TCP accept backlog of the API socket.");
    static final Setting MAX_PARTITIONS_PER_TOPIC = Setting.number(
            "topics.max-partitions", 10_000, 1, 10_000, "Most partitions one topic may have (the store allows 10000).");

    static final Setting MAX_CONSUMERS = Setting.number(
            "consumers.max", 10_000, 1, 1_000_000, "Live HTTP consumers at most (subscribe answers 429 beyond).");

    static final Setting MAX_RESPONSE_BYTES = Setting.number(
            "consumers.max-response-bytes",
            64 * MIB,
            KIB,
            104_857_600,
            "Key and value bytes one consume response may hold; a larger max_bytes_total is lowered to it.");

    static final List<Setting> ALL = List.of(
            DATA_DIR,
            API_ADDR,
            BACKEND,
            SEGMENT_BYTES,
            SEGMENT_MS,
            INDEX_INTERVAL_BYTES,
            RETENTION_BYTES,
            RETENTION_MS,
            FLUSH_INTERVAL_MS,
            RETENTION_CHECK_INTERVAL_MS,
            MAX_BODY_BYTES,
            MAX_PRODUCE_BODY_BYTES,
            MAX_HEADER_BYTES,
            IDLE_TIMEOUT_MS,
            MAX_CONCURRENT_REQUESTS,
            ACCEPT_QUEUE_SIZE,
            MAX_PARTITIONS_PER_TOPIC,
            MAX_CONSUMERS,
            MAX_RESPONSE_BYTES);
}
