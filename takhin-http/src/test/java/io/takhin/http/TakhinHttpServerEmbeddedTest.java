package io.takhin.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.takhin.backend.embedded.EmbeddedBackend;
import io.takhin.common.Murmur2;
import io.takhin.common.Time;
import io.takhin.session.ConsumerSessions;
import io.takhin.session.SessionConfig;
import io.takhin.storage.log.LogConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Topics (contract §2) and produce (§3) through the real server and the embedded store. What the
 * store holds byte for byte is checked black-box in takhin-it; this checks the HTTP side: statuses,
 * codes, response shapes and where records land.
 */
class TakhinHttpServerEmbeddedTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dataDir;

    private EmbeddedBackend backend;
    private TakhinHttpServer server;
    private ConsumerSessions sessions;
    private final HttpClient client =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void start() {
        backend = EmbeddedBackend.open(dataDir, LogConfig.defaults(), Time.SYSTEM);
        HttpConfig defaults = HttpConfig.defaults().withAddress("127.0.0.1", 0);
        sessions = new ConsumerSessions(backend.consumers(), SessionConfig.defaults(), Time.SYSTEM);
        server = TakhinHttpServer.start(defaults, backend, sessions);
    }

    @AfterEach
    void stop() {
        server.close();
        sessions.close();
        backend.close();
        client.close();
    }

    private record Response(int status, JsonNode json, HttpResponse<String> raw) {
        String code() {
            return json.path("code").asText();
        }

        String error() {
            return json.path("error").asText();
        }
    }

    private Response send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(
                request.timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return new Response(response.statusCode(), MAPPER.readTree(response.body()), response);
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
    }

    private Response get(String path) throws IOException, InterruptedException {
        return send(request(path).GET());
    }

    private Response post(String path, String json) throws IOException, InterruptedException {
        return send(request(path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    private Response delete(String path) throws IOException, InterruptedException {
        return send(request(path).DELETE());
    }

    private void createTopic(String name, int partitions) throws IOException, InterruptedException {
        Response created = post("/api/topics", "{\"name\":\"" + name + "\",\"partitions\":" + partitions + "}");
        assertThat(created.status()).as(created.json().toString()).isEqualTo(201);
    }

    @Test
    void createTopic_answers201WithLocation_thenConflicts() throws Exception {
        Response created = post("/api/topics", "{\"name\":\"orders\",\"partitions\":3}");

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json()).isEqualTo(MAPPER.readTree("{\"name\":\"orders\",\"partitions\":3}"));
        assertThat(created.raw().headers().firstValue("Location")).hasValue("/api/topics/orders");

        Response again = post("/api/topics", "{\"name\":\"orders\",\"partitions\":3}");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.code()).isEqualTo("topic_already_exists");
    }

    @Test
    void createTopic_tooManyPartitions_answers400NamingTheLimit() throws Exception {
        Response response = post("/api/topics", "{\"name\":\"wide\",\"partitions\":10001}");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.code()).isEqualTo("invalid_argument");
        assertThat(response.error()).isEqualTo("partitions must be between 1 and 10000, got 10001");
    }

    @Test
    void listAndDescribe_showPartitionsAndOffsets() throws Exception {
        createTopic("b-topic", 1);
        createTopic("a-topic", 2);
        assertThat(post(
                                "/api/topics/a-topic/produce",
                                "{\"records\":[{\"value\":1,\"partition\":1},{\"value\":2,\"partition\":1}]}")
                        .status())
                .isEqualTo(200);

        Response list = get("/api/topics");
        Response one = get("/api/topics/a-topic");

        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json()).extracting(topic -> topic.path("name").asText()).containsExactly("a-topic", "b-topic");
        assertThat(one.status()).isEqualTo(200);
        assertThat(one.json())
                .isEqualTo(MAPPER.readTree("{\"name\":\"a-topic\",\"partition_count\":2,\"partitions\":["
                        + "{\"id\":0,\"log_start_offset\":0,\"high_water_mark\":0},"
                        + "{\"id\":1,\"log_start_offset\":0,\"high_water_mark\":2}]}"));
    }

    @Test
    void describeAndDelete_unknownTopic_answer404() throws Exception {
        assertThat(get("/api/topics/never-made").code()).isEqualTo("topic_not_found");
        assertThat(get("/api/topics/never-made").status()).isEqualTo(404);
        assertThat(delete("/api/topics/never-made").status()).isEqualTo(404);
    }

    @Test
    void deleteTopic_answersMessage_thenTopicIsGone() throws Exception {
        createTopic("doomed", 1);

        Response deleted = delete("/api/topics/doomed");

        assertThat(deleted.status()).isEqualTo(200);
        assertThat(deleted.json()).isEqualTo(MAPPER.readTree("{\"message\":\"topic deleted\"}"));
        assertThat(get("/api/topics/doomed").status()).isEqualTo(404);
    }

    @Test
    void produce_answersOffsetsInRequestOrder() throws Exception {
        createTopic("ordered", 2);

        Response response = post(
                "/api/topics/ordered/produce",
                "{\"records\":[{\"value\":{\"n\":1},\"partition\":1},{\"value\":{\"n\":2},\"partition\":0},"
                        + "{\"value\":{\"n\":3},\"partition\":1}]}");

        assertThat(response.status()).as(response.json().toString()).isEqualTo(200);
        JsonNode offsets = response.json().path("offsets");
        assertThat(offsets).extracting(o -> o.path("partition").asInt()).containsExactly(1, 0, 1);
        assertThat(offsets).extracting(o -> o.path("offset").asLong()).containsExactly(0L, 0L, 1L);
        assertThat(offsets)
                .allSatisfy(o -> assertThat(o.path("timestamp").asLong()).isPositive());
    }

    @Test
    void produce_keyWithoutPartition_landsWhereKafkaWouldPutIt() throws Exception {
        createTopic("keyed", 5);

        Response response = post(
                "/api/topics/keyed/produce?key.format=string",
                "{\"records\":[{\"key\":\"customer-42\",\"value\":\"x\"}]}");

        assertThat(response.status()).isEqualTo(200);
        int expected = Murmur2.partitionForKey("customer-42".getBytes(StandardCharsets.UTF_8), 5);
        assertThat(response.json().path("offsets").get(0).path("partition").asInt())
                .isEqualTo(expected);
    }

    @Test
    void produce_partitionNotInTopic_answers400NamingRecord() throws Exception {
        createTopic("small", 2);

        Response response =
                post("/api/topics/small/produce", "{\"records\":[{\"value\":1},{\"value\":2,\"partition\":2}]}");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.code()).isEqualTo("invalid_argument");
        assertThat(response.error()).startsWith("records[1].partition is 2");
        // All or nothing: the valid record before it was not appended either.
        assertThat(get("/api/topics/small")
                        .json()
                        .path("partitions")
                        .get(0)
                        .path("high_water_mark")
                        .asLong())
                .isZero();
    }

    @Test
    void produce_unknownTopic_answers404() throws Exception {
        Response response = post("/api/topics/nowhere/produce", "{\"records\":[{\"value\":1}]}");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.code()).isEqualTo("topic_not_found");
    }

    @Test
    void produce_badBase64_answers400NamingRecord() throws Exception {
        createTopic("bytes", 1);

        Response response =
                post("/api/topics/bytes/produce?value.format=binary", "{\"records\":[{\"value\":\"%%%\"}]}");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.error()).startsWith("records[0].value is not valid base64");
    }
}
