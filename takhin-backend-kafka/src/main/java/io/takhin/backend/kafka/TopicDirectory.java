package io.takhin.backend.kafka;

import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What this server last learnt of each topic's partition count from its own Admin calls: fresher
 * than a consumer's metadata, which Kafka refreshes only every {@code metadata.max.age.ms}. The
 * group leader's assignor uses it (K6), so a topic this server creates or deletes is reflected in
 * the next rebalance. Entries older than {@link #FRESH_NANOS} are ignored: another server or tool
 * may have changed the topic since. Thread-safe.
 */
final class TopicDirectory {
    private static final long FRESH_NANOS = 30_000_000_000L;

    /** A partition count, 0 for a topic known to be deleted, and when it was learnt. */
    private record Entry(int partitions, long learntNanos) {}

    private final Map<String, Entry> topics = new ConcurrentHashMap<>();

    void exists(String topic, int partitions) {
        topics.put(topic, new Entry(partitions, System.nanoTime()));
    }

    void deleted(String topic) {
        topics.put(topic, new Entry(0, System.nanoTime()));
    }

    /** The partition count if recently learnt (0: deleted), else empty: ask the metadata. */
    OptionalInt partitions(String topic) {
        Entry entry = topics.get(topic);
        if (entry == null || System.nanoTime() - entry.learntNanos() > FRESH_NANOS) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(entry.partitions());
    }
}
