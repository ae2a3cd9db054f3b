package io.takhin.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.takhin.it.ConsumerClient.Consumer;
import io.takhin.it.ConsumerClient.Rec;
import io.takhin.it.ConsumerClient.TimedResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Contract §1 over HTTP against the real server: the seeds' quick start, subscribe validation and
 * every consume behaviour (long poll, limits, encoding, auto-advance, fairness).
 */
class ConsumerApiIT {
    @RegisterExtension
    static final TakhinServerExtension server = new TakhinServerExtension();

    private static ConsumerClient client() {
        return ConsumerClient.connect(server);
    }

    // ---- the seeds' quick start ---------------------------------------------------------------

    /** The seeds' 5-minute quick start, request bodies exactly as written there. */
    @Test
    void quickStart_subscribeConsumeCommitClose_worksAsTheSeedsWriteIt() {
        ConsumerClient client = client();
        client.createTopic("orders", 3);
        client.produceNumbered("orders", 0, "order", 120);
        client.produceNumbered("orders", 1, "order", 5);
        client.produceNumbered("orders", 2, "order", 5);

        HttpApi.Response subscribed = client.subscribeRaw("""
                {
                    "group_id": "my-group",
                    "topics": ["orders"],
                    "auto_offset_reset": "earliest"
                  }""");
        assertThat(subscribed.status()).as(subscribed.body()).isEqualTo(200);
        JsonNode body = subscribed.json();
        assertThat(ConsumerClient.fieldNames(body))
                .containsExactlyInAnyOrder("consumer_id", "group_id", "topics", "assignment", "generation_id");
        assertThat(body.path("group_id").asText()).isEqualTo("my-group");
        assertThat(body.path("topics").toString()).isEqualTo("[\"orders\"]");
        assertThat(body.path("assignment").toString()).isEqualTo("{\"orders\":[0,1,2]}");
        assertThat(body.path("generation_id").isIntegralNumber()).isTrue();
        assertThat(body.path("generation_id").asInt()).isPositive();
        String consumerId = body.path("consumer_id").asText();

        HttpApi.Response consumed = server.api().post("/api/consumers/" + consumerId + "/consume", """
                        {
                            "max_records": 100,
                            "timeout_ms": 30000
                          }""");
        assertThat(consumed.status()).as(consumed.body()).isEqualTo(200);
        assertThat(ConsumerClient.fieldNames(consumed.json())).containsExactly("records", "timestamp");
        assertThat(consumed.json().path("timestamp").asLong()).isPositive();
        List<Rec> records = Rec.all(consumed.json());
        assertThat(records).hasSizeBetween(1, 100);
        JsonNode first = consumed.json().path("records").get(0);
        assertThat(ConsumerClient.fieldNames(first))
                .containsExactlyInAnyOrder("topic", "partition", "offset", "timestamp", "key", "value", "headers");
        assertThat(records).allSatisfy(record -> assertThat(record.topic()).isEqualTo("orders"));

        HttpApi.Response committed = server.api().post("/api/consumers/" + consumerId + "/commit", """
                        {
                            "offsets": {
                              "orders": {"0": 100}
                            }
                          }""");
        assertThat(committed.status()).as(committed.body()).isEqualTo(200);
        assertThat(committed.json().toString()).isEqualTo("{\"success\":true,\"message\":\"offsets committed\"}");

        JsonNode group = server.api().get("/api/consumer-groups/my-group").json();
        assertThat(group.path("offsets").toString())
                .contains("\"partition\":0,\"committed_offset\":100,\"high_water_mark\":120,\"lag\":20");

        HttpApi.Response closed = server.api().delete("/api/consumers/" + consumerId);
        assertThat(closed.status()).isEqualTo(200);
        assertThat(closed.json().toString()).isEqualTo("{\"message\":\"consumer closed\"}");
        HttpApi.Response afterClose = server.api().post("/api/consumers/" + consumerId + "/consume", "");
        assertThat(afterClose.status()).isEqualTo(404);
        assertThat(afterClose.code()).isEqualTo("consumer_not_found");
    }

    /** The id is the only credential of a session: >= 128 random bits, URL-safe, never repeated. */
    @Test
    void subscribe_consumerIds_areUrlSafeAndCarryAtLeast128Bits() {
        ConsumerClient client = client();
        client.createTopic("ids", 1);
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            Consumer consumer = client.subscribe("ids-group-" + i, "latest", "ids");
            ids.add(consumer.id());
            // base64url: 6 bits per character; 22 characters carry 132 bits, enough for 16 random bytes.
            assertThat(consumer.id()).matches("[A-Za-z0-9_-]{22,}");
            assertThat(consumer.id().length() * 6).isGreaterThanOrEqualTo(128);
            assertThat(consumer.close().status()).isEqualTo(200);
        }
        assertThat(ids).hasSize(20);
    }

    // ---- subscribe validation ----------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"topics\":[\"valid\"]}",
                "{\"group_id\":\"\",\"topics\":[\"valid\"]}",
                "{\"group_id\":\"g\",\"topics\":[]}",
                "{\"group_id\":\"g\"}",
                "{\"group_id\":\"g\",\"topics\":[\"valid\"],\"session_timeout_ms\":999}",
                "{\"group_id\":\"g\",\"topics\":[\"valid\"],\"session_timeout_ms\":300001}",
                "{\"group_id\":\"g\",\"topics\":[\"valid\"],\"auto_offset_reset\":\"newest\"}",
                "{\"group_id\":\"g\",\"topics\":\"valid\"}",
                "{\"group_id\":7,\"topics\":[\"valid\"]}",
                "{\"group_id\":\"g\",\"topics\":[\"bad name\"]}",
            })
    void subscribe_invalidRequest_answers400NamingTheField(String body) {
        ensureTopic("valid");

        HttpApi.Response response = client().subscribeRaw(body);

        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.code()).isEqualTo("invalid_argument");
        String field = body.contains("session_timeout_ms")
                ? "session_timeout_ms"
                : body.contains("auto_offset_reset") ? "auto_offset_reset" : body.contains("[]") ? "topics" : null;
        if (field != null) {
            assertThat(response.error()).contains(field);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"{not json", "{\"group_id\":\"g\",\"topics\":[\"valid\"]", "[]", "null", "", "\"text\""})
    void subscribe_malformedJson_answers400Never500(String body) {
        ensureTopic("valid");

        HttpApi.Response response = client().subscribeRaw(body);

        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.code()).isIn("malformed_request", "invalid_argument");
    }

    @Test
    void subscribe_sessionTimeoutAtBothBounds_isAccepted() {
        ensureTopic("valid");

        assertThat(client().subscribe("bounds", "latest", 1000, "valid").id()).isNotEmpty();
        assertThat(client().subscribe("bounds", "latest", 300_000, "valid").id())
                .isNotEmpty();
    }

    @Test
    void subscribe_unknownTopic_answers404NamingIt() {
        ensureTopic("valid");

        HttpApi.Response response =
                client().subscribeRaw("{\"group_id\":\"g-unknown\",\"topics\":[\"valid\",\"no-such-topic\"]}");

        assertThat(response.status()).as(response.body()).isEqualTo(404);
        assertThat(response.code()).isEqualTo("topic_not_found");
        assertThat(response.error()).contains("no-such-topic");
        // Nothing was created: the group does not exist.
        assertThat(server.api().get("/api/consumer-groups/g-unknown").status()).isEqualTo(404);
    }

    // ---- consume: requests ----------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"max_records\":0}",
                "{\"max_records\":10001}",
                "{\"timeout_ms\":-1}",
                "{\"timeout_ms\":300001}",
                "{\"max_bytes_total\":1023}",
                "{\"max_bytes_total\":104857601}",
            })
    void consume_outOfRange_answers400NamingTheField(String body) {
        ensureTopic("valid");
        Consumer consumer = client().subscribe("range", "latest", "valid");

        HttpApi.Response response = consumer.consumeRaw(body);

        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.code()).isEqualTo("invalid_argument");
        String field = body.substring(2, body.indexOf('"', 2));
        assertThat(response.error()).contains(field);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{not json", "[1]", "{\"max_records\":\"ten\"}"})
    void consume_malformedBody_answers400Never500(String body) {
        ensureTopic("valid");
        Consumer consumer = client().subscribe("malformed-consume", "latest", "valid");

        HttpApi.Response response = consumer.consumeRaw(body);

        assertThat(response.status()).as(response.body()).isEqualTo(400);
    }

    @Test
    void consume_limitsAtTheirBounds_areAccepted() {
        ensureTopic("valid");
        Consumer consumer = client().subscribe("bounds-consume", "latest", "valid");

        HttpApi.Response low =
                consumer.consumeSequentially("{\"max_records\":1,\"timeout_ms\":0,\"max_bytes_total\":1024}");
        HttpApi.Response high =
                consumer.consumeSequentially("{\"max_records\":10000,\"timeout_ms\":0,\"max_bytes_total\":104857600}");

        assertThat(low.status()).as(low.body()).isEqualTo(200);
        assertThat(high.status()).as(high.body()).isEqualTo(200);
    }

    /** An empty body means all defaults (max_records 500, timeout 30 s): records there come at once. */
    @Test
    void consume_emptyBody_usesDefaultsAndAnswersWithWhatIsThere() {
        ConsumerClient client = client();
        client.createTopic("defaults", 1);
        client.produceNumbered("defaults", 0, "d", 600);
        Consumer consumer = client.subscribe("defaults-group", "earliest", "defaults");

        long start = System.nanoTime();
        HttpApi.Response response = consumer.consumeRaw("");
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(Rec.all(response.json())).hasSize(500);
        assertThat(elapsedMs).isLessThan(5_000);
    }

    @Test
    void consume_unknownConsumer_answers404() {
        HttpApi.Response response = server.api().post("/api/consumers/AAAAAAAAAAAAAAAAAAAAAA/consume", "");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.code()).isEqualTo("consumer_not_found");
    }

    // ---- consume: long poll -------------------------------------------------------------------

    @Test
    void consume_recordsAlreadyThere_answersWithoutWaitingForTimeout() {
        ConsumerClient client = client();
        client.createTopic("ready", 2);
        client.produce("ready", 1, "one");
        Consumer consumer = client.subscribe("ready-group", "earliest", "ready");

        long start = System.nanoTime();
        List<Rec> records = consumer.consume(100, 20_000);
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(records).extracting(Rec::valueText).containsExactly("one");
        assertThat(elapsedMs).isLessThan(5_000);
    }

    /** Defect 1 and 2 of the seeds: the waiting poll is woken by the append, not by its timeout. */
    @Test
    void consume_recordProducedDuringLongPoll_answersAsSoonAsItIsThere() throws Exception {
        ConsumerClient client = client();
        client.createTopic("wake", 3);
        Consumer consumer = client.subscribe("wake-group", "earliest", "wake");
        CompletableFuture<TimedResponse> poll = consumer.consumeAsync("{\"max_records\":100,\"timeout_ms\":20000}");
        consumer.awaitPollInFlight(Duration.ofSeconds(10));
        assertThat(poll).isNotDone();

        long producedAt = System.nanoTime();
        client.produce("wake", 2, "woken");
        TimedResponse answer = poll.get(30, TimeUnit.SECONDS);

        assertThat(answer.response().status()).isEqualTo(200);
        assertThat(Rec.all(answer.response().json())).extracting(Rec::valueText).containsExactly("woken");
        // A functional bound, not a benchmark: far below the 20 s timeout.
        assertThat((answer.receivedNanos() - producedAt) / 1_000_000).isLessThan(5_000);
    }

    @Test
    void consume_nothingArrives_answersEmptyListAfterTheTimeout() {
        ConsumerClient client = client();
        client.createTopic("quiet", 1);
        Consumer consumer = client.subscribe("quiet-group", "earliest", "quiet");

        long start = System.nanoTime();
        HttpApi.Response response = consumer.consumeRaw("{\"timeout_ms\":700}");
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().path("records").isArray()).isTrue();
        assertThat(response.json().path("records")).isEmpty();
        assertThat(elapsedMs).isBetween(650L, 5_000L);
    }

    @Test
    void consume_timeoutZero_answersAtOnce() {
        ConsumerClient client = client();
        client.createTopic("instant", 1);
        Consumer consumer = client.subscribe("instant-group", "earliest", "instant");

        long start = System.nanoTime();
        List<Rec> records = consumer.consume(10, 0);
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(records).isEmpty();
        assertThat(elapsedMs).isLessThan(1_000);
    }

    // ---- consume: what comes back -------------------------------------------------------------

    @Test
    void consume_recordsOfOnePartition_comeInOffsetOrder() {
        ConsumerClient client = client();
        client.createTopic("ordered", 2);
        for (int batch = 0; batch < 5; batch++) {
            client.produceNumbered("ordered", 0, "a" + batch, 10);
            client.produceNumbered("ordered", 1, "b" + batch, 10);
        }
        Consumer consumer = client.subscribe("ordered-group", "earliest", "ordered");

        List<Rec> records = consumer.consumeAtLeast(100, Duration.ofSeconds(20));

        assertThat(records).hasSize(100);
        for (int partition = 0; partition < 2; partition++) {
            int p = partition;
            assertThat(records.stream().filter(r -> r.partition() == p).map(Rec::offset))
                    .containsExactly(
                            java.util.stream.LongStream.range(0, 50).boxed().toArray(Long[]::new));
        }
    }

    /** key and value are base64 of the stored bytes, key null when absent; headers name to UTF-8 value. */
    @Test
    void consume_encoding_keyAndValueAreBase64OfStoredBytesAndHeadersAMap() {
        ConsumerClient client = client();
        client.createTopic("encoded", 1);
        byte[] key = {0, (byte) 0xff, 7};
        byte[] value = {(byte) 0x80, 0, 1, 2, (byte) 0xfe, 10, 13};
        Base64.Encoder base64 = Base64.getEncoder();
        client.produceRecords(
                "encoded",
                "?key.format=binary&value.format=binary",
                List.of(
                        Map.of(
                                "key",
                                base64.encodeToString(key),
                                "value",
                                base64.encodeToString(value),
                                "headers",
                                List.of(
                                        Map.of("key", "source", "value", "api"),
                                        Map.of("key", "trace", "value", "t-ü"))),
                        Map.of("value", base64.encodeToString(new byte[] {42}))));
        Consumer consumer = client.subscribe("encoded-group", "earliest", "encoded");

        HttpApi.Response response = consumer.consumeRaw("{\"timeout_ms\":5000}");

        JsonNode records = response.json().path("records");
        assertThat(records).hasSize(2);
        assertThat(records.get(0).path("key").asText()).isEqualTo(base64.encodeToString(key));
        assertThat(records.get(0).path("value").asText()).isEqualTo(base64.encodeToString(value));
        assertThat(records.get(0).path("headers").toString()).isEqualTo("{\"source\":\"api\",\"trace\":\"t-ü\"}");
        assertThat(records.get(0).path("timestamp").asLong()).isPositive();
        assertThat(records.get(1).has("key")).isTrue();
        assertThat(records.get(1).get("key").isNull()).isTrue();
        assertThat(Rec.of(records.get(1)).value()).containsExactly(42);
        assertThat(records.get(1).path("headers").toString()).isEqualTo("{}");
    }

    /** An empty key or value is "" (zero stored bytes); an absent key and a null value are null. */
    @Test
    void consume_emptyKeyAndNullValue_areDistinguishedFromAbsentOnes() {
        ConsumerClient client = client();
        client.createTopic("empties", 1);
        HttpApi.Response produced = server.api()
                .post(
                        "/api/topics/empties/produce?key.format=string&value.format=string",
                        "{\"records\":[{\"key\":\"\",\"value\":\"\"},{\"key\":\"k\",\"value\":null}]}");
        assertThat(produced.status()).as(produced.body()).isEqualTo(200);
        Consumer consumer = client.subscribe("empties-group", "earliest", "empties");

        JsonNode records =
                consumer.consumeSequentially("{\"timeout_ms\":5000}").json().path("records");

        assertThat(records).hasSize(2);
        assertThat(records.get(0).get("key").isTextual()).isTrue();
        assertThat(records.get(0).get("key").asText()).isEmpty();
        assertThat(records.get(0).get("value").asText()).isEmpty();
        assertThat(records.get(1).get("key").asText()).isEqualTo("aw==");
        assertThat(records.get(1).get("value").isNull()).isTrue();
    }

    @Test
    void consume_maxRecords_isRespected() {
        ConsumerClient client = client();
        client.createTopic("max-records", 1);
        client.produceNumbered("max-records", 0, "m", 10);
        Consumer consumer = client.subscribe("max-records-group", "earliest", "max-records");

        assertThat(consumer.consume(3, 5000)).extracting(Rec::offset).containsExactly(0L, 1L, 2L);
    }

    /** max_bytes_total bounds the sum of key and value sizes. */
    @Test
    void consume_maxBytesTotal_boundsTheSumOfKeyAndValueSizes() {
        ConsumerClient client = client();
        client.createTopic("max-bytes", 1);
        String fiveHundred = "x".repeat(500);
        client.produce("max-bytes", 0, fiveHundred, fiveHundred, fiveHundred, fiveHundred);
        Consumer consumer = client.subscribe("max-bytes-group", "earliest", "max-bytes");

        HttpApi.Response response = consumer.consumeSequentially("{\"max_bytes_total\":1024,\"timeout_ms\":5000}");

        List<Rec> records = Rec.all(response.json());
        assertThat(records).extracting(Rec::offset).containsExactly(0L, 1L);
        assertThat(consumer.consume(100, 5000)).extracting(Rec::offset).containsExactly(2L, 3L);
    }

    /** One record larger than max_bytes_total is still delivered, alone, so a consumer never gets stuck. */
    @Test
    void consume_recordLargerThanMaxBytesTotal_isReturnedAlone() {
        ConsumerClient client = client();
        client.createTopic("big-record", 1);
        client.produce("big-record", 0, "y".repeat(3000), "small", "small");
        Consumer consumer = client.subscribe("big-record-group", "earliest", "big-record");

        HttpApi.Response first = consumer.consumeSequentially("{\"max_bytes_total\":1024,\"timeout_ms\":5000}");
        HttpApi.Response second = consumer.consumeSequentially("{\"max_bytes_total\":1024,\"timeout_ms\":5000}");

        List<Rec> big = Rec.all(first.json());
        assertThat(big).hasSize(1);
        assertThat(big.getFirst().value()).hasSize(3000);
        assertThat(Rec.all(second.json())).extracting(Rec::offset).containsExactly(1L, 2L);
    }

    @Test
    void consume_twice_secondContinuesWhereTheFirstStopped() {
        ConsumerClient client = client();
        client.createTopic("advance", 1);
        client.produceNumbered("advance", 0, "v", 6);
        Consumer consumer = client.subscribe("advance-group", "earliest", "advance");

        assertThat(consumer.consume(3, 5000)).extracting(Rec::offset).containsExactly(0L, 1L, 2L);
        assertThat(consumer.consume(3, 5000)).extracting(Rec::offset).containsExactly(3L, 4L, 5L);
        assertThat(consumer.consume(3, 0)).isEmpty();
    }

    /** GET position after a consume is the last delivered offset + 1. */
    @Test
    void position_afterConsume_isLastDeliveredOffsetPlusOne() {
        ConsumerClient client = client();
        client.createTopic("position", 2);
        client.produceNumbered("position", 0, "p", 7);
        Consumer consumer = client.subscribe("position-group", "earliest", "position");

        List<Rec> records = consumer.consume(5, 5000);
        HttpApi.Response position = consumer.positionRaw();

        assertThat(records).extracting(Rec::offset).containsExactly(0L, 1L, 2L, 3L, 4L);
        assertThat(position.status()).isEqualTo(200);
        assertThat(position.json().toString()).isEqualTo("{\"offsets\":{\"position\":{\"0\":5,\"1\":0}}}");
    }

    /** A hot partition does not starve the others: with a small max_records both show up in two polls. */
    @Test
    void consume_hotPartition_doesNotStarveTheOthers() {
        ConsumerClient client = client();
        client.createTopic("fair", 2);
        client.produceNumbered("fair", 0, "hot", 500);
        client.produceNumbered("fair", 1, "cold", 3);
        Consumer consumer = client.subscribe("fair-group", "earliest", "fair");

        List<Rec> records = new ArrayList<>(consumer.consume(10, 5000));
        records.addAll(consumer.consume(10, 5000));

        assertThat(records).extracting(Rec::partition).contains(0, 1);
    }

    /** The same with many partitions: over as many polls as partitions, every partition is served. */
    @Test
    void consume_manyPartitionsWithOneHot_everyPartitionServedWithinAFewPolls() {
        ConsumerClient client = client();
        client.createTopic("fair-many", 6);
        client.produceNumbered("fair-many", 3, "hot", 1000);
        for (int partition = 0; partition < 6; partition++) {
            if (partition != 3) {
                client.produceNumbered("fair-many", partition, "cold", 2);
            }
        }
        Consumer consumer = client.subscribe("fair-many-group", "earliest", "fair-many");

        Set<Integer> served = new HashSet<>();
        for (int poll = 0; poll < 6; poll++) {
            consumer.consume(5, 5000).forEach(record -> served.add(record.partition()));
        }

        assertThat(served).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5);
    }

    @Test
    void consume_secondConcurrentConsumeOnSameId_answers409PollInProgress() throws Exception {
        ConsumerClient client = client();
        client.createTopic("one-at-a-time", 1);
        Consumer consumer = client.subscribe("one-at-a-time-group", "earliest", "one-at-a-time");
        CompletableFuture<TimedResponse> poll = consumer.consumeAsync("{\"timeout_ms\":20000}");
        consumer.awaitPollInFlight(Duration.ofSeconds(10));

        HttpApi.Response second = consumer.consumeRaw("{\"timeout_ms\":1000}");

        assertThat(second.status()).isEqualTo(409);
        assertThat(second.code()).isEqualTo("poll_in_progress");
        client.produce("one-at-a-time", 0, "release");
        assertThat(Rec.all(poll.get(30, TimeUnit.SECONDS).response().json()))
                .extracting(Rec::valueText)
                .containsExactly("release");
        assertThat(consumer.consume(10, 0)).isEmpty();
    }

    @Test
    void consumerEndpoints_unknownId_answer404ConsumerNotFound() {
        String unknown = "/api/consumers/bm8tc3VjaC1jb25zdW1lcg";
        List<HttpApi.Response> responses = List.of(
                server.api().post(unknown + "/consume", "{}"),
                server.api().post(unknown + "/commit", "{}"),
                server.api().post(unknown + "/seek", "{\"topic\":\"valid\",\"partition\":0,\"offset\":0}"),
                server.api().get(unknown + "/assignment"),
                server.api().put(unknown + "/assignment", "{\"topics\":{}}"),
                server.api().get(unknown + "/position"),
                server.api().delete(unknown));

        assertThat(responses).allSatisfy(response -> {
            assertThat(response.status()).as(response.body()).isEqualTo(404);
            assertThat(response.code()).isEqualTo("consumer_not_found");
        });
    }

    private static void ensureTopic(String name) {
        HttpApi.Response response = server.api().post("/api/topics", "{\"name\":\"" + name + "\",\"partitions\":1}");
        assertThat(response.status()).isIn(201, 409);
    }
}
