package io.takhin.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The clients in {@code examples/} (Python standard library, Node built-in fetch) run against a real
 * server: each reads every produced record once, commits after processing, and closes.
 */
class ExamplesIT {
    @RegisterExtension
    static final TakhinServerExtension server = new TakhinServerExtension();

    private static final Path EXAMPLES =
            Path.of(System.getProperty("basedir", ".")).resolve("../examples").normalize();

    @Test
    void pythonExample_consumesEveryRecordAndCommitsOffsetPlusOne() throws Exception {
        runExample(
                "py-orders", List.of("python3", EXAMPLES.resolve("consumer.py").toString()));
    }

    @Test
    void nodeExample_consumesEveryRecordAndCommitsOffsetPlusOne() throws Exception {
        runExample(
                "node-orders", List.of("node", EXAMPLES.resolve("consumer.mjs").toString()));
    }

    private void runExample(String topic, List<String> command) throws IOException, InterruptedException {
        HttpApi api = server.api();
        assertThat(api.post("/api/topics", "{\"name\":\"" + topic + "\",\"partitions\":3}")
                        .status())
                .isEqualTo(201);
        List<Map<String, Object>> records = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            records.add(Map.of("key", "order-" + i, "value", "{\"amount\":" + i + "}"));
        }
        assertThat(api.post(
                                "/api/topics/" + topic + "/produce?key.format=string&value.format=string",
                                HttpApi.json(Map.of("records", records)))
                        .status())
                .isEqualTo(200);

        List<String> full = new ArrayList<>(command);
        full.addAll(List.of(
                "--url", api.baseUrl(), "--group", topic + "-group", "--topics", topic, "--max-records", "120"));
        Process process = new ProcessBuilder(full)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS))
                .as("example finished")
                .isTrue();
        assertThat(process.exitValue())
                .as("exit code of %s; output:%n%s", command, output)
                .isZero();

        List<String> values = new ArrayList<>();
        for (String line : output.lines().filter(line -> !line.isBlank()).toList()) {
            JsonNode record = HttpApi.JSON.readTree(line);
            values.add(record.path("key").asText() + "=" + record.path("value").asText());
        }
        assertThat(values).hasSize(120).doesNotHaveDuplicates();
        assertThat(values).contains("order-0={\"amount\":0}", "order-119={\"amount\":119}");

        JsonNode group = api.get("/api/consumer-groups/" + topic + "-group").json();
        long committed = 0;
        for (JsonNode offset : group.path("offsets")) {
            assertThat(offset.path("lag").asLong()).as("lag of %s", offset).isZero();
            committed += offset.path("committed_offset").asLong();
        }
        assertThat(committed)
                .as("committed offsets sum to the records produced")
                .isEqualTo(120);
        assertThat(group.path("members")).as("the example closed its consumer").isEmpty();
        assertThat(Files.exists(EXAMPLES)).isTrue();
    }
}
