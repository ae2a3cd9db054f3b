package io.takhin.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Contract §2: topic create, list, get and delete over HTTP. */
class TopicsIT {
    @RegisterExtension
    static final TakhinServerExtension server = new TakhinServerExtension();

    private HttpApi api() {
        return server.api();
    }

    @Test
    void create_validTopic_answers201WithNameAndPartitions() {
        HttpApi.Response response = api().post("/api/topics", "{\"name\":\"orders\",\"partitions\":3}");

        assertThat(response.status()).isEqualTo(201);
        assertThat(response.json().path("name").asText()).isEqualTo("orders");
        assertThat(response.json().path("partitions").asInt()).isEqualTo(3);
    }

    @Test
    void create_existingTopic_answers409() {
        api().post("/api/topics", "{\"name\":\"twice\",\"partitions\":1}");

        HttpApi.Response again = api().post("/api/topics", "{\"name\":\"twice\",\"partitions\":2}");

        assertThat(again.status()).isEqualTo(409);
        assertThat(again.code()).isEqualTo("topic_already_exists");
        assertThat(again.error()).contains("twice");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "a/b", "sp ace", "ünï", "x"})
    void create_badName_answers400NamingTheName(String name) {
        String actualName = name.equals("x") ? "x".repeat(250) : name;

        HttpApi.Response response =
                api().post("/api/topics", HttpApi.json(java.util.Map.of("name", actualName, "partitions", 1)));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.code()).isEqualTo("invalid_argument");
        assertThat(response.error()).containsIgnoringCase("name");
    }

    @Test
    void create_longestLegalName_isAccepted() {
        HttpApi.Response response =
                api().post("/api/topics", HttpApi.json(java.util.Map.of("name", "n".repeat(249), "partitions", 1)));

        assertThat(response.status()).isEqualTo(201);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1})
    void create_partitionsBelowOne_answers400NamingPartitions(int partitions) {
        HttpApi.Response response =
                api().post("/api/topics", "{\"name\":\"p" + (partitions + 5) + "\",\"partitions\":" + partitions + "}");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.error()).contains("partitions");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{",
                "not json",
                "[1,2]",
                "{\"name\": 5, \"partitions\": 1}",
                "{\"partitions\": 1}",
                "{\"name\":\"ok\",\"partitions\":\"three\"}",
                "{\"name\":\"ok\",\"partitions\":99999999999}"
            })
    void create_malformedOrMistypedBody_answers400(String body) {
        HttpApi.Response response = api().post("/api/topics", body);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().has("error")).isTrue();
        assertThat(response.json().has("code")).isTrue();
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("at io.");
    }

    @Test
    void list_showsEveryTopicWithPartitionOffsets() {
        api().post("/api/topics", "{\"name\":\"listed-a\",\"partitions\":2}");
        api().post("/api/topics", "{\"name\":\"listed-b\",\"partitions\":1}");
        api().post(
                        "/api/topics/listed-a/produce",
                        "{\"records\":[{\"value\":1,\"partition\":1},{\"value\":2,\"partition\":1}]}");

        HttpApi.Response response = api().get("/api/topics");

        assertThat(response.status()).isEqualTo(200);
        JsonNode listedA = find(response.json(), "listed-a");
        assertThat(listedA.path("partition_count").asInt()).isEqualTo(2);
        assertThat(listedA.path("partitions")).hasSize(2);
        JsonNode partition1 = listedA.path("partitions").get(1);
        assertThat(partition1.path("id").asInt()).isEqualTo(1);
        assertThat(partition1.path("log_start_offset").asLong()).isZero();
        assertThat(partition1.path("high_water_mark").asLong()).isEqualTo(2);
        assertThat(find(response.json(), "listed-b").path("partition_count").asInt())
                .isEqualTo(1);
    }

    @Test
    void get_existingTopic_answersItsPartitions() {
        api().post("/api/topics", "{\"name\":\"described\",\"partitions\":4}");

        HttpApi.Response response = api().get("/api/topics/described");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().path("name").asText()).isEqualTo("described");
        assertThat(response.json().path("partition_count").asInt()).isEqualTo(4);
        assertThat(response.json().path("partitions")).hasSize(4);
    }

    @Test
    void get_unknownTopic_answers404NamingIt() {
        HttpApi.Response response = api().get("/api/topics/never-made");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.code()).isEqualTo("topic_not_found");
        assertThat(response.error()).contains("never-made");
    }

    @Test
    @Tag(TestBackend.EMBEDDED_ONLY) // looks at the data directory
    void delete_existingTopic_removesItAndItsFiles() throws IOException {
        api().post("/api/topics", "{\"name\":\"doomed-topic\",\"partitions\":2}");
        api().post("/api/topics/doomed-topic/produce", "{\"records\":[{\"value\":\"x\"}]}");
        assertThat(pathsMentioning("doomed-topic")).isNotEmpty();

        HttpApi.Response response = api().delete("/api/topics/doomed-topic");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().path("message").asText()).isEqualTo("topic deleted");
        assertThat(api().get("/api/topics/doomed-topic").status()).isEqualTo(404);
        assertThat(pathsMentioning("doomed-topic")).isEmpty();
        assertThat(api().post("/api/topics/doomed-topic/produce", "{\"records\":[{\"value\":1}]}")
                        .status())
                .isEqualTo(404);
    }

    @Test
    void delete_thenRecreate_startsEmpty() {
        api().post("/api/topics", "{\"name\":\"phoenix\",\"partitions\":1}");
        api().post("/api/topics/phoenix/produce", "{\"records\":[{\"value\":1},{\"value\":2}]}");
        api().delete("/api/topics/phoenix");

        api().post("/api/topics", "{\"name\":\"phoenix\",\"partitions\":1}");

        assertThat(api().get("/api/topics/phoenix")
                        .json()
                        .path("partitions")
                        .get(0)
                        .path("high_water_mark")
                        .asLong())
                .isZero();
    }

    @Test
    void delete_unknownTopic_answers404() {
        HttpApi.Response response = api().delete("/api/topics/not-there");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.code()).isEqualTo("topic_not_found");
    }

    @Test
    void unknownRoute_answers404AsJson() {
        HttpApi.Response response = api().get("/api/nothing-here");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.json().has("code")).isTrue();
    }

    @Test
    void knownRouteWithWrongMethod_answers405() {
        HttpApi.Response response = api().put("/api/topics", "{}");

        assertThat(response.status()).isEqualTo(405);
        assertThat(response.code()).isEqualTo("method_not_allowed");
    }

    @Test
    void health_answersOk() {
        HttpApi.Response response = api().get("/api/health");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().path("status").asText()).isEqualTo("ok");
    }

    @Test
    void openApiDocumentAndUi_areServed() {
        HttpApi.Response document = api().get("/api/openapi.yaml");
        HttpApi.Response ui = api().get("/api/docs");

        assertThat(document.status()).isEqualTo(200);
        assertThat(document.body()).contains("openapi: 3.1").contains("/api/topics/{topic}/produce");
        assertThat(ui.status()).isEqualTo(200);
        assertThat(ui.body()).containsIgnoringCase("swagger");
    }

    private static JsonNode find(JsonNode list, String name) {
        for (JsonNode topic : list) {
            if (topic.path("name").asText().equals(name)) {
                return topic;
            }
        }
        throw new AssertionError("topic " + name + " not in " + list);
    }

    private List<Path> pathsMentioning(String text) throws IOException {
        try (Stream<Path> paths = Files.walk(server.dataDir())) {
            return paths.filter(path -> path.toString().contains(text)).toList();
        }
    }
}
