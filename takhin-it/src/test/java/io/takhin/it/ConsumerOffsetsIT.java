package io.takhin.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.takhin.it.ConsumerClient.Consumer;
import io.takhin.it.ConsumerClient.Produced;
import io.takhin.it.ConsumerClient.Rec;
import io.takhin.it.ConsumerClient.TimedResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Contract §1 commit and seek over HTTP, and defect 4 of the seeds: committed offsets are stored,
 * shown with lag, and honoured by the next owner whatever its auto_offset_reset.
 */
class ConsumerOffsetsIT {
    @RegisterExtension
    static final TakhinServerExtension server = new TakhinServerExtension();

    private static ConsumerClient client() {
        return ConsumerClient.connect(server);
    }

    /** The group's committed offset of one partition, from GET /api/consumer-groups/{group}. */
    private static OptionalLong committed(String group, String topic, int partition) {
        HttpApi.Response response = server.api().get("/api/consumer-groups/" + group);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        for (JsonNode offset : response.json().path("offsets")) {
            if (offset.path("topic").asText().equals(topic)
                    && offset.path("partition").asInt() == partition) {
                return OptionalLong.of(offset.path("committed_offset").asLong());
            }
        }
        return OptionalLong.empty();
    }

    private static JsonNode offsetEntry(String group, String topic, int partition) {
        for (JsonNode offset :
                server.api().get("/api/consumer-groups/" + group).json().path("offsets")) {
            if (offset.path("topic").asText().equals(topic)
                    && offset.path("partition").asInt() == partition) {
                return offset;
            }
        }
        throw new AssertionError("no committed offset for " + topic + "-" + partition + " in group " + group);
    }

    // ---- commit -------------------------------------------------------------------------------

    @Test
    void commit_explicitOffsets_areStoredAndShownWithLag() {
        ConsumerClient client = client();
        client.createTopic("explicit", 2);
        client.produceNumbered("explicit", 0, "a", 10);
        client.produceNumbered("explicit", 1, "b", 4);
        Consumer consumer = client.subscribe("explicit-group", "earliest", "explicit");

        consumer.commit("explicit", Map.of(0, 7L, 1, 4L));

        JsonNode first = offsetEntry("explicit-group", "explicit", 0);
        assertThat(first.path("committed_offset").asLong()).isEqualTo(7);
        assertThat(first.path("high_water_mark").asLong()).isEqualTo(10);
        assertThat(first.path("lag").asLong()).isEqualTo(3);
        JsonNode second = offsetEntry("explicit-group", "explicit", 1);
        assertThat(second.path("committed_offset").asLong()).isEqualTo(4);
        assertThat(second.path("lag").asLong()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{}"})
    void commit_emptyBodyOrEmptyObject_commitsCurrentPositions(String body) {
        ConsumerClient client = client();
        String topic = "commit-all-" + (body.isEmpty() ? "empty" : "object");
        String group = topic + "-group";
        client.createTopic(topic, 2);
        client.produceNumbered(topic, 0, "a", 6);
        client.produceNumbered(topic, 1, "b", 6);
        Consumer consumer = client.subscribe(group, "earliest", topic);
        List<Rec> records = consumer.consume(5, 5000);
        Map<Integer, Long> positions = consumer.positions(topic);

        HttpApi.Response response = consumer.commitRaw(body);

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().toString()).isEqualTo("{\"success\":true,\"message\":\"offsets committed\"}");
        assertThat(records).hasSize(5);
        assertThat(committed(group, topic, 0)).hasValue(positions.get(0));
        assertThat(committed(group, topic, 1)).hasValue(positions.get(1));
        assertThat(positions.get(0) + positions.get(1)).isEqualTo(5);
    }

    /** C4: a partition the committer does not own fails the WHOLE request; nothing of it is stored. */
    @Test
    void commit_partitionNotOwned_answers409AndCommitsNothingOfTheRequest() {
        ConsumerClient client = client();
        client.createTopic("not-owned", 2);
        client.produceNumbered("not-owned", 0, "a", 5);
        client.produceNumbered("not-owned", 1, "b", 5);
        Consumer first = client.subscribe("not-owned-group", "earliest", "not-owned");
        Consumer second = client.subscribe("not-owned-group", "earliest", "not-owned");
        int mine = first.partitions("not-owned").iterator().next();
        int theirs = second.partitions("not-owned").iterator().next();
        assertThat(mine).isNotEqualTo(theirs);
        first.commit("not-owned", Map.of(mine, 1L));

        HttpApi.Response response =
                first.commitRaw(ConsumerClient.commitBody("not-owned", Map.of(mine, 3L, theirs, 3L)));

        assertThat(response.status()).as(response.body()).isEqualTo(409);
        assertThat(response.code()).isEqualTo("partition_not_owned");
        assertThat(response.error()).contains("not-owned-" + theirs);
        assertThat(committed("not-owned-group", "not-owned", mine)).hasValue(1);
        assertThat(committed("not-owned-group", "not-owned", theirs)).isEmpty();
    }

    @Test
    void commit_partitionOfATopicNotSubscribed_answers409() {
        ConsumerClient client = client();
        client.createTopic("subscribed", 1);
        client.createTopic("elsewhere", 1);
        client.produce("elsewhere", 0, "x");
        Consumer consumer = client.subscribe("elsewhere-group", "earliest", "subscribed");

        HttpApi.Response response = consumer.commitRaw(ConsumerClient.commitBody("elsewhere", Map.of(0, 1L)));

        assertThat(response.status()).isEqualTo(409);
        assertThat(response.code()).isEqualTo("partition_not_owned");
    }

    @Test
    void commit_negativeOffset_answers400() {
        ConsumerClient client = client();
        client.createTopic("negative-commit", 1);
        Consumer consumer = client.subscribe("negative-commit-group", "earliest", "negative-commit");

        HttpApi.Response response = consumer.commitRaw("{\"offsets\":{\"negative-commit\":{\"0\":-1}}}");

        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.code()).isEqualTo("invalid_argument");
        assertThat(allCommitted("negative-commit-group")).isEmpty();
    }

    /** Offsets are "next to read": the partition's end is allowed, one above it is not. */
    @Test
    void commit_offsetAbovePartitionEnd_answers400ButTheEndItselfIsAccepted() {
        ConsumerClient client = client();
        client.createTopic("above-end", 1);
        client.produceNumbered("above-end", 0, "a", 5);
        Consumer consumer = client.subscribe("above-end-group", "earliest", "above-end");

        HttpApi.Response above = consumer.commitRaw(ConsumerClient.commitBody("above-end", Map.of(0, 6L)));
        HttpApi.Response atEnd = consumer.commitRaw(ConsumerClient.commitBody("above-end", Map.of(0, 5L)));

        assertThat(above.status()).as(above.body()).isEqualTo(400);
        assertThat(above.code()).isEqualTo("invalid_argument");
        assertThat(atEnd.status()).as(atEnd.body()).isEqualTo(200);
        assertThat(committed("above-end-group", "above-end", 0)).hasValue(5);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{not json",
                "{\"offsets\":[]}",
                "{\"offsets\":{\"t\":{\"zero\":1}}}",
                "{\"offsets\":{\"t\":{\"0\":\"one\"}}}"
            })
    void commit_malformedBody_answers400Never500(String body) {
        ConsumerClient client = client();
        client.createTopic("malformed-commit-" + Math.abs(body.hashCode()), 1);
        Consumer consumer =
                client.subscribe("malformed-commit-group", "earliest", "malformed-commit-" + Math.abs(body.hashCode()));

        HttpApi.Response response = consumer.commitRaw(body);

        assertThat(response.status()).as(response.body()).isEqualTo(400);
    }

    private static List<JsonNode> allCommitted(String group) {
        HttpApi.Response response = server.api().get("/api/consumer-groups/" + group);
        List<JsonNode> offsets = new ArrayList<>();
        response.json().path("offsets").forEach(offsets::add);
        return offsets;
    }

    // ---- committed offsets honoured -----------------------------------------------------------

    /** Defect 4 of the seeds: a new subscriber resumes at the committed offset, whatever its reset. */
    @ParameterizedTest
    @ValueSource(strings = {"earliest", "latest"})
    void subscribe_groupHasCommittedOffset_resumesExactlyThereWhateverTheReset(String reset) {
        ConsumerClient client = client();
        String topic = "resume-" + reset;
        client.createTopic(topic, 1);
        client.produceNumbered(topic, 0, "r", 10);
        Consumer first = client.subscribe(topic + "-group", "earliest", topic);
        first.consumeAtLeast(10, Duration.ofSeconds(10));
        first.commit(topic, Map.of(0, 4L));
        assertThat(first.close().status()).isEqualTo(200);

        Consumer next = client.subscribe(topic + "-group", reset, topic);

        assertThat(next.positions(topic)).containsExactly(Map.entry(0, 4L));
        assertThat(next.consume(100, 5000)).extracting(Rec::offset).containsExactly(4L, 5L, 6L, 7L, 8L, 9L);
    }

    /** auto_offset_reset applies only to partitions without a committed offset. */
    @ParameterizedTest
    @ValueSource(strings = {"earliest", "latest"})
    void subscribe_someCommitted_resetAppliesOnlyWhereNothingIsCommitted(String reset) {
        ConsumerClient client = client();
        String topic = "partly-" + reset;
        client.createTopic(topic, 2);
        client.produceNumbered(topic, 0, "a", 6);
        client.produceNumbered(topic, 1, "b", 6);
        Consumer first = client.subscribe(topic + "-group", "earliest", topic);
        first.commit(topic, Map.of(0, 2L));
        first.close();

        Consumer next = client.subscribe(topic + "-group", reset, topic);

        long expectedUncommitted = reset.equals("earliest") ? 0 : 6;
        assertThat(next.positions(topic)).containsExactly(Map.entry(0, 2L), Map.entry(1, expectedUncommitted));
    }

    // ---- seek ---------------------------------------------------------------------------------

    @Test
    void seek_toOffset_nextConsumeStartsThere() {
        ConsumerClient client = client();
        client.createTopic("seek-offset", 1);
        client.produceNumbered("seek-offset", 0, "s", 5);
        Consumer consumer = client.subscribe("seek-offset-group", "earliest", "seek-offset");
        consumer.consumeAtLeast(5, Duration.ofSeconds(10));

        consumer.seek("seek-offset", 0, "offset", 1);

        assertThat(consumer.positions("seek-offset")).containsExactly(Map.entry(0, 1L));
        assertThat(consumer.consume(100, 5000)).extracting(Rec::offset).containsExactly(1L, 2L, 3L, 4L);
    }

    /**
     * A seek in the middle of a drain wins over whatever the backend readied for the next consume
     * (the Kafka backend prepares the next poll's records while the client reads a response).
     */
    @Test
    void seek_inTheMiddleOfADrain_nextConsumeStartsAtTheSoughtOffset() {
        ConsumerClient client = client();
        client.createTopic("seek-mid", 1);
        client.produceNumbered("seek-mid", 0, "s", 12);
        Consumer consumer = client.subscribe("seek-mid-group", "earliest", "seek-mid");
        List<Long> seen = new ArrayList<>();
        for (int i = 0; i < 10 && seen.size() < 6; i++) {
            consumer.consume(3, 5000).forEach(rec -> seen.add(rec.offset()));
        }
        assertThat(seen).startsWith(0L, 1L, 2L, 3L, 4L, 5L);
        assertThat(consumer.positions("seek-mid")).containsExactly(Map.entry(0, (long) seen.size()));

        consumer.seek("seek-mid", 0, "offset", 1);

        List<Rec> next = consumer.consume(3, 5000);
        assertThat(next).isNotEmpty();
        assertThat(next.getFirst().offset()).as("first offset after the seek").isEqualTo(1L);
        assertThat(consumer.positions("seek-mid")).containsExactly(Map.entry(0, 1L + next.size()));
    }

    /** An offset past the end is allowed: the consumer waits for exactly that offset. */
    @Test
    void seek_pastTheEnd_consumerWaitsForThatOffsetAndGetsItWhenProduced() throws Exception {
        ConsumerClient client = client();
        client.createTopic("seek-future", 1);
        client.produceNumbered("seek-future", 0, "s", 3);
        Consumer consumer = client.subscribe("seek-future-group", "earliest", "seek-future");

        consumer.seek("seek-future", 0, "offset", 5);
        assertThat(consumer.positions("seek-future")).containsExactly(Map.entry(0, 5L));
        client.produce("seek-future", 0, "at-3");
        assertThat(consumer.consume(100, 300))
                .as("offset 3 is below the sought 5")
                .isEmpty();
        CompletableFuture<TimedResponse> poll = consumer.consumeAsync("{\"timeout_ms\":20000}");
        consumer.awaitPollInFlight(Duration.ofSeconds(10));
        List<Produced> produced = client.produce("seek-future", 0, "at-4", "at-5", "at-6");

        TimedResponse answer = poll.get(30, TimeUnit.SECONDS);
        assertThat(produced).extracting(Produced::offset).containsExactly(4L, 5L, 6L);
        assertThat(answer.response().status()).as(answer.response().body()).isEqualTo(200);
        assertThat(Rec.all(answer.response().json())).extracting(Rec::valueText).containsExactly("at-5", "at-6");
        assertThat(answer.elapsedMs()).isLessThan(15_000);
    }

    @Test
    void seek_toBeginningAndEnd_movesThePosition() {
        ConsumerClient client = client();
        client.createTopic("seek-ends", 1);
        client.produceNumbered("seek-ends", 0, "s", 4);
        Consumer consumer = client.subscribe("seek-ends-group", "latest", "seek-ends");
        assertThat(consumer.positions("seek-ends")).containsExactly(Map.entry(0, 4L));

        consumer.seek("seek-ends", 0, "position", "beginning");
        assertThat(consumer.positions("seek-ends")).containsExactly(Map.entry(0, 0L));
        assertThat(consumer.consume(2, 5000)).extracting(Rec::offset).containsExactly(0L, 1L);

        consumer.seek("seek-ends", 0, "position", "end");
        assertThat(consumer.positions("seek-ends")).containsExactly(Map.entry(0, 4L));
        assertThat(consumer.consume(100, 0)).isEmpty();
    }

    /** Seek by timestamp goes to the first offset whose timestamp is >= the given one. */
    @Test
    void seek_toTimestamp_movesToFirstOffsetAtOrAfterIt() {
        ConsumerClient client = client();
        client.createTopic("seek-time", 1);
        // One record per request until the server's clock has visibly moved on: timestamps are
        // milliseconds, so several records may share one; the test only needs two distinct values.
        List<Produced> produced = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        do {
            assertThat(System.nanoTime())
                    .as("two distinct timestamps within 10 s")
                    .isLessThan(deadline);
            produced.addAll(client.produce("seek-time", 0, "t" + produced.size()));
        } while (produced.getLast().timestampMs() == produced.getFirst().timestampMs() || produced.size() < 3);
        client.produce("seek-time", 0, "tail");
        long target = produced.getLast().timestampMs();
        long expected = produced.stream()
                .filter(p -> p.timestampMs() >= target)
                .mapToLong(Produced::offset)
                .min()
                .orElseThrow();
        assertThat(expected).isPositive();
        Consumer consumer = client.subscribe("seek-time-group", "earliest", "seek-time");

        consumer.seek("seek-time", 0, "timestamp", target);
        assertThat(consumer.positions("seek-time")).containsExactly(Map.entry(0, expected));
        assertThat(consumer.consume(1, 5000).getFirst().timestampMs()).isGreaterThanOrEqualTo(target);

        consumer.seek("seek-time", 0, "timestamp", 0);
        assertThat(consumer.positions("seek-time")).containsExactly(Map.entry(0, 0L));

        consumer.seek("seek-time", 0, "timestamp", target + Duration.ofDays(1).toMillis());
        assertThat(consumer.positions("seek-time"))
                .as("no record that recent: the end")
                .containsExactly(Map.entry(0, produced.size() + 1L));
    }

    @Test
    void seek_partitionNotOwned_answers409AndMovesNothing() {
        ConsumerClient client = client();
        client.createTopic("seek-owned", 2);
        client.createTopic("seek-other", 1);
        Consumer first = client.subscribe("seek-owned-group", "earliest", "seek-owned");
        Consumer second = client.subscribe("seek-owned-group", "earliest", "seek-owned");
        int theirs = second.partitions("seek-owned").iterator().next();
        Map<Integer, Long> before = first.positions("seek-owned");

        HttpApi.Response response =
                first.seekRaw(HttpApi.json(Map.of("topic", "seek-owned", "partition", theirs, "offset", 0)));
        HttpApi.Response otherTopic = first.seekRaw("{\"topic\":\"seek-other\",\"partition\":0,\"offset\":0}");

        assertThat(response.status()).as(response.body()).isEqualTo(409);
        assertThat(response.code()).isEqualTo("partition_not_owned");
        assertThat(otherTopic.status()).isEqualTo(409);
        assertThat(otherTopic.code()).isEqualTo("partition_not_owned");
        assertThat(first.positions("seek-owned")).isEqualTo(before).doesNotContainKey(theirs);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"topic\":\"seek-bad\",\"partition\":0,\"offset\":-1}",
                "{\"topic\":\"seek-bad\",\"partition\":0}",
                "{\"topic\":\"seek-bad\",\"partition\":0,\"offset\":1,\"position\":\"end\"}",
                "{\"topic\":\"seek-bad\",\"partition\":0,\"offset\":1,\"timestamp\":5}",
                "{\"topic\":\"seek-bad\",\"partition\":0,\"position\":\"middle\"}",
                "{\"topic\":\"seek-bad\",\"partition\":0,\"timestamp\":-1}",
                "{\"topic\":\"seek-bad\",\"offset\":1}",
                "{\"partition\":0,\"offset\":1}",
                "{not json",
            })
    void seek_invalidRequest_answers400(String body) {
        ConsumerClient client = client();
        HttpApi.Response created = server.api().post("/api/topics", "{\"name\":\"seek-bad\",\"partitions\":1}");
        assertThat(created.status()).isIn(201, 409);
        Consumer consumer = client.subscribe("seek-bad-group", "earliest", "seek-bad");

        HttpApi.Response response = consumer.seekRaw(body);

        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(consumer.positions("seek-bad")).containsExactly(Map.entry(0, 0L));
        consumer.close();
    }

    /** Seek and commit do not move other members: a seek changes this consumer's position only. */
    @Test
    void seek_thenCommitAll_commitsTheSoughtPosition() {
        ConsumerClient client = client();
        client.createTopic("seek-commit", 1);
        client.produceNumbered("seek-commit", 0, "s", 8);
        Consumer consumer = client.subscribe("seek-commit-group", "earliest", "seek-commit");
        consumer.seek("seek-commit", 0, "offset", 6);

        assertThat(consumer.commitRaw("").status()).isEqualTo(200);

        assertThat(committed("seek-commit-group", "seek-commit", 0)).hasValue(6);
        assertThat(Set.copyOf(consumer.positions("seek-commit").values())).containsExactly(6L);
    }

    /**
     * Commit-all commits the current positions; a position past the end (allowed by seek) is no
     * bad input of the client's: the empty-body commit must not answer 400 about an offset the
     * client never sent.
     */
    @Test
    void commitAll_afterSeekPastTheEnd_isNotRefusedAsBadInput() {
        ConsumerClient client = client();
        client.createTopic("seek-then-commit", 2);
        client.produceNumbered("seek-then-commit", 0, "a", 3);
        client.produceNumbered("seek-then-commit", 1, "b", 3);
        Consumer consumer = client.subscribe("seek-then-commit-group", "earliest", "seek-then-commit");
        consumer.consumeAtLeast(6, Duration.ofSeconds(10));
        consumer.seek("seek-then-commit", 0, "offset", 10);

        HttpApi.Response response = consumer.commitRaw("");

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(committed("seek-then-commit-group", "seek-then-commit", 1)).hasValue(3);
    }
}
