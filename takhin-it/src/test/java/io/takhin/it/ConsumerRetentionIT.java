package io.takhin.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.takhin.it.ConsumerClient.Consumer;
import io.takhin.it.ConsumerClient.Rec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Contract §1: a position below the log start (records deleted by retention) resets per
 * auto_offset_reset, whether it came from a seek, a committed offset or an old position. Small
 * segments and a 4 KiB retention make retention delete the oldest records within a second.
 */
@Tag(TestBackend.EMBEDDED_ONLY)
class ConsumerRetentionIT {
    @RegisterExtension
    static final TakhinServerExtension server = new TakhinServerExtension(
            "--storage.segment-bytes=4096",
            "--storage.retention-bytes=4096",
            "--storage.retention-check-interval-ms=100");

    private static ConsumerClient client() {
        return ConsumerClient.connect(server);
    }

    private static long logStartOffset(String topic) {
        return server.api()
                .get("/api/topics/" + topic)
                .json()
                .path("partitions")
                .get(0)
                .path("log_start_offset")
                .asLong();
    }

    /** Fills a one-partition topic with 60 records of 200 bytes (one batch each, many segments). */
    private static void fill(ConsumerClient client, String topic) {
        for (int i = 0; i < 60; i++) {
            client.produce(topic, 0, i + "-" + "r".repeat(200));
        }
    }

    /**
     * Bounded wait on an observable condition: retention (every 100 ms) moved the log start
     * offset up; paced by another group's 200 ms long polls.
     */
    private static long awaitRetention(ConsumerClient client, String topic) {
        client.createTopic(topic + "-pacer", 1);
        Consumer pacer = client.subscribe(topic + "-pacer-group", "latest", topic + "-pacer");
        ConsumerClient.await(
                "retention deletes the oldest segments of " + topic,
                Duration.ofSeconds(15),
                () -> logStartOffset(topic) > 0,
                () -> pacer.consume(1, 200));
        pacer.close();
        return logStartOffset(topic);
    }

    @Test
    void consume_positionDeletedByRetention_earliestResumesAtTheLogStart() {
        ConsumerClient client = client();
        client.createTopic("old-position", 1);
        Consumer consumer = client.subscribe("old-position-group", "earliest", "old-position");
        assertThat(consumer.positions("old-position")).containsExactly(Map.entry(0, 0L));
        fill(client, "old-position");

        long logStartBefore = awaitRetention(client, "old-position");

        List<Rec> records = consumer.consume(5, 5000);
        // Retention keeps running: the reset lands on the log start of the instant of the consume.
        assertThat(records.getFirst().offset()).isBetween(logStartBefore, logStartOffset("old-position"));
    }

    @Test
    void consume_positionDeletedByRetention_latestResumesAtTheEnd() {
        ConsumerClient client = client();
        client.createTopic("old-position-latest", 1);
        fill(client, "old-position-latest");
        Consumer consumer = client.subscribe("old-position-latest-group", "latest", "old-position-latest");
        consumer.seek("old-position-latest", 0, "offset", 0);

        awaitRetention(client, "old-position-latest");

        assertThat(consumer.consume(5, 0)).isEmpty();
        assertThat(consumer.positions("old-position-latest")).containsExactly(Map.entry(0, 60L));
    }

    @Test
    void seek_belowTheLogStart_resetsPerAutoOffsetReset() {
        ConsumerClient client = client();
        client.createTopic("seek-below", 1);
        fill(client, "seek-below");
        long logStartBefore = awaitRetention(client, "seek-below");
        Consumer earliest = client.subscribe("seek-below-earliest", "earliest", "seek-below");
        Consumer latest = client.subscribe("seek-below-latest", "latest", "seek-below");

        earliest.seek("seek-below", 0, "offset", 0);
        latest.seek("seek-below", 0, "offset", 0);

        long first = earliest.consume(1, 5000).getFirst().offset();
        assertThat(first).isBetween(logStartBefore, logStartOffset("seek-below"));
        assertThat(latest.consume(1, 0)).isEmpty();
        assertThat(latest.positions("seek-below")).containsExactly(Map.entry(0, 60L));
    }

    @Test
    void subscribe_committedOffsetDeletedByRetention_resetsPerAutoOffsetReset() {
        ConsumerClient client = client();
        client.createTopic("committed-below", 1);
        client.produce("committed-below", 0, "first", "second");
        Consumer committer = client.subscribe("committed-below-group", "earliest", "committed-below");
        committer.commit("committed-below", Map.of(0, 1L));
        committer.close();
        fill(client, "committed-below");

        long logStartBefore = awaitRetention(client, "committed-below");
        Consumer next = client.subscribe("committed-below-group", "earliest", "committed-below");

        long first = next.consume(1, 5000).getFirst().offset();
        assertThat(first).isBetween(logStartBefore, logStartOffset("committed-below"));
    }
}
