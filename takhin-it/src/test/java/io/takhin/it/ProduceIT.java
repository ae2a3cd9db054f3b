package io.takhin.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Contract §3: produce over HTTP, checked against what the store holds. */
class ProduceIT {
    @RegisterExtension
    static final TakhinServerExtension server = new TakhinServerExtension("--http.max-produce-body-bytes=65536");

    private HttpApi api() {
        return server.api();
    }

    private void createTopic(String name, int partitions) {
        assertThat(api().post("/api/topics", "{\"name\":\"" + name + "\",\"partitions\":" + partitions + "}")
                        .status())
                .isEqualTo(201);
    }

    private List<StoredRecord> stored(String topic, int partition) {
        return server.storedRecords(topic, partition);
    }

    @Test
    void produce_jsonFormat_storesCompactJsonTextAndAnswersOffsets() {
        createTopic("json-values", 1);

        HttpApi.Response response = api().post(
                        "/api/topics/json-values/produce",
                        "{\"records\":[{\"value\": {\"amount\" : 99.99, \"tags\": [1, 2]}}, {\"value\": \"text\"}, {\"value\": 7}]}");

        assertThat(response.status()).isEqualTo(200);
        JsonNode offsets = response.json().path("offsets");
        assertThat(offsets).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(offsets.get(i).path("partition").asInt()).isZero();
            assertThat(offsets.get(i).path("offset").asLong()).isEqualTo(i);
            assertThat(offsets.get(i).path("timestamp").asLong()).isPositive();
        }
        List<StoredRecord> records = stored("json-values", 0);
        assertThat(records)
                .extracting(StoredRecord::valueText)
                .containsExactly("{\"amount\":99.99,\"tags\":[1,2]}", "\"text\"", "7");
        assertThat(records.getFirst().key()).isNull();
    }

    @Test
    void produce_stringFormat_storesUtf8OfTheString() {
        createTopic("string-values", 1);

        HttpApi.Response response = api().post(
                        "/api/topics/string-values/produce?key.format=string&value.format=string",
                        "{\"records\":[{\"key\":\"k-ü\",\"value\":\"héllo\"}]}");

        assertThat(response.status()).isEqualTo(200);
        StoredRecord record = stored("string-values", 0).getFirst();
        assertThat(record.keyText()).isEqualTo("k-ü");
        assertThat(record.value()).isEqualTo("héllo".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void produce_binaryFormat_storesDecodedBytes() {
        createTopic("binary-values", 1);
        byte[] raw = {0, 1, 2, (byte) 0xff, (byte) 0x80, 10};

        HttpApi.Response response = api().post(
                        "/api/topics/binary-values/produce?key.format=binary&value.format=binary",
                        HttpApi.json(Map.of(
                                "records",
                                List.of(Map.of(
                                        "key", Base64.getEncoder().encodeToString(new byte[] {9, 9}),
                                        "value", Base64.getEncoder().encodeToString(raw))))));

        assertThat(response.status()).isEqualTo(200);
        StoredRecord record = stored("binary-values", 0).getFirst();
        assertThat(record.key()).containsExactly(9, 9);
        assertThat(record.value()).containsExactly(raw);
    }

    @Test
    void produce_badBase64_answers400AndStoresNothing() {
        createTopic("bad-base64", 1);

        HttpApi.Response response = api().post(
                        "/api/topics/bad-base64/produce?value.format=binary",
                        "{\"records\":[{\"value\":\"AAAA\"},{\"value\":\"not base64 !!\"}]}");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.error()).contains("base64");
        assertThat(stored("bad-base64", 0)).isEmpty();
    }

    @Test
    void produce_headers_areStored() {
        createTopic("with-headers", 1);

        api().post(
                        "/api/topics/with-headers/produce",
                        "{\"records\":[{\"value\":1,\"headers\":[{\"key\":\"source\",\"value\":\"api\"},{\"key\":\"trace\",\"value\":\"t-1\"}]}]}");

        assertThat(stored("with-headers", 0).getFirst().headers())
                .containsExactly(Map.entry("source", "api"), Map.entry("trace", "t-1"));
    }

    @Test
    void produce_explicitPartition_landsThere() {
        createTopic("explicit", 3);

        HttpApi.Response response =
                api().post("/api/topics/explicit/produce", "{\"records\":[{\"value\":1,\"partition\":2}]}");

        assertThat(response.json().path("offsets").get(0).path("partition").asInt())
                .isEqualTo(2);
        assertThat(stored("explicit", 2)).hasSize(1);
        assertThat(stored("explicit", 0)).isEmpty();
    }

    @Test
    void produce_keyedRecords_landWhereKafkasDefaultPartitionerPutsThem() {
        createTopic("keyed", 7);
        List<Map<String, Object>> records = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            records.add(Map.of("key", "key-" + i, "value", i));
        }

        HttpApi.Response response =
                api().post("/api/topics/keyed/produce?key.format=string", HttpApi.json(Map.of("records", records)));

        assertThat(response.status()).isEqualTo(200);
        for (int i = 0; i < 50; i++) {
            byte[] key = ("key-" + i).getBytes(StandardCharsets.UTF_8);
            int kafkaPartition = Utils.toPositive(Utils.murmur2(key)) % 7;
            assertThat(response.json().path("offsets").get(i).path("partition").asInt())
                    .as("partition of key-%d", i)
                    .isEqualTo(kafkaPartition);
        }
    }

    @Test
    void produce_mixedPartitions_answersOffsetsInRequestOrder() {
        createTopic("mixed", 3);
        String body = "{\"records\":[{\"value\":\"a\",\"partition\":1},{\"value\":\"b\",\"partition\":0},"
                + "{\"value\":\"c\",\"partition\":1},{\"value\":\"d\",\"partition\":2},{\"value\":\"e\",\"partition\":0}]}";

        JsonNode offsets = api().post("/api/topics/mixed/produce?value.format=string", body)
                .json()
                .path("offsets");

        assertThat(offsets).hasSize(5);
        int[][] expected = {{1, 0}, {0, 0}, {1, 1}, {2, 0}, {0, 1}};
        for (int i = 0; i < 5; i++) {
            assertThat(offsets.get(i).path("partition").asInt()).isEqualTo(expected[i][0]);
            assertThat(offsets.get(i).path("offset").asLong()).isEqualTo(expected[i][1]);
        }
        assertThat(stored("mixed", 1)).extracting(StoredRecord::valueText).containsExactly("a", "c");
    }

    @Test
    void produce_unkeyedRecords_spreadAcrossPartitionsOverRequests() {
        createTopic("spread", 4);
        Set<Integer> used = new HashSet<>();

        for (int i = 0; i < 8; i++) {
            used.add(api().post("/api/topics/spread/produce", "{\"records\":[{\"value\":1}]}")
                    .json()
                    .path("offsets")
                    .get(0)
                    .path("partition")
                    .asInt());
        }

        assertThat(used).containsExactlyInAnyOrder(0, 1, 2, 3);
    }

    @Test
    void produce_unknownTopic_answers404() {
        HttpApi.Response response = api().post("/api/topics/no-such-topic/produce", "{\"records\":[{\"value\":1}]}");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.code()).isEqualTo("topic_not_found");
    }

    @Test
    void produce_emptyRecords_answers400() {
        createTopic("empty-records", 1);

        HttpApi.Response response = api().post("/api/topics/empty-records/produce", "{\"records\":[]}");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.error()).contains("records");
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 3, 1000})
    void produce_badPartition_answers400AndStoresNothing(int partition) {
        String topic = "bad-partition" + (partition + 1);
        createTopic(topic, 3);

        HttpApi.Response response = api().post(
                        "/api/topics/" + topic + "/produce",
                        "{\"records\":[{\"value\":1,\"partition\":0},{\"value\":1,\"partition\":" + partition + "}]}");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.error()).contains("partition");
        assertThat(stored(topic, 0)).isEmpty();
    }

    @Test
    void produce_unknownFormat_answers400() {
        createTopic("bad-format", 1);

        HttpApi.Response response =
                api().post("/api/topics/bad-format/produce?value.format=avro", "{\"records\":[{\"value\":1}]}");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.error()).contains("value.format");
    }

    @Test
    void produce_stringFormatWithNonString_answers400() {
        createTopic("string-mismatch", 1);

        HttpApi.Response response = api().post(
                        "/api/topics/string-mismatch/produce?value.format=string",
                        "{\"records\":[{\"value\":{\"a\":1}}]}");

        assertThat(response.status()).isEqualTo(400);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"records\":[",
                "{\"records\": 5}",
                "{\"records\":[{\"value\":1,\"partition\":\"x\"}]}",
                "[]",
                "nonsense"
            })
    void produce_malformedJson_answers400(String body) {
        createTopic("malformed" + Math.abs(body.hashCode()), 1);

        HttpApi.Response response = api().post("/api/topics/malformed" + Math.abs(body.hashCode()) + "/produce", body);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body()).doesNotContain("Exception");
    }

    @Test
    void produce_bodyOverTheLimit_answers413() {
        createTopic("too-big", 1);
        String bigValue = "x".repeat(70_000);

        HttpApi.Response response = api().post(
                        "/api/topics/too-big/produce?value.format=string",
                        "{\"records\":[{\"value\":\"" + bigValue + "\"}]}");

        assertThat(response.status()).isEqualTo(413);
        assertThat(response.code()).isEqualTo("payload_too_large");
        assertThat(stored("too-big", 0)).isEmpty();
    }

    @Test
    void produce_chunkedBodyOverTheLimit_answers413() {
        createTopic("too-big-chunked", 1);
        byte[] body = ("{\"records\":[{\"value\":\"" + "y".repeat(70_000) + "\"}]}").getBytes(StandardCharsets.UTF_8);

        HttpApi.Response response = api().send(api().request("/api/topics/too-big-chunked/produce?value.format=string")
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(body))));

        assertThat(response.status()).isEqualTo(413);
    }
}
