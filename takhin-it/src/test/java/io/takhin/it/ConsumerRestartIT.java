package io.takhin.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import io.takhin.it.ConsumerClient.Consumer;
import io.takhin.it.ConsumerClient.Rec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Committed offsets are durable before the commit's 200: a server killed with SIGKILL right after
 * it answered comes back with them, and a new subscriber resumes exactly there.
 */
@Tag(TestBackend.EMBEDDED_ONLY)
class ConsumerRestartIT {

    @Test
    void sigkillAfterCommit_restartShowsTheCommittedOffsetsAndANewSubscriberResumesThere(@TempDir Path dataDir)
            throws Exception {
        try (ServerProcess first = ServerProcess.start(dataDir)) {
            ConsumerClient client = new ConsumerClient(first.api());
            client.createTopic("durable", 2);
            client.produceNumbered("durable", 0, "a", 10);
            client.produceNumbered("durable", 1, "b", 6);
            Consumer consumer = client.subscribe("durable-group", "earliest", "durable");
            assertThat(consumer.consumeAtLeast(16, Duration.ofSeconds(10))).hasSize(16);
            consumer.commit("durable", Map.of(0, 3L, 1, 6L));
            // Many small commits, each answered only once durable; the last one of a key wins.
            for (long offset = 4; offset <= 7; offset++) {
                consumer.commit("durable", Map.of(0, offset));
            }
            first.kill();
        }

        try (ServerProcess second = ServerProcess.start(dataDir)) {
            ConsumerClient client = new ConsumerClient(second.api());
            HttpApi.Response group = second.api().get("/api/consumer-groups/durable-group");
            assertThat(group.status()).as(group.body()).isEqualTo(200);
            assertThat(group.json().path("members")).isEmpty();
            assertThat(group.json().path("offsets").toString())
                    .isEqualTo(
                            "[{\"topic\":\"durable\",\"partition\":0,\"committed_offset\":7,\"high_water_mark\":10,\"lag\":3},"
                                    + "{\"topic\":\"durable\",\"partition\":1,\"committed_offset\":6,\"high_water_mark\":6,\"lag\":0}]");
            JsonNode listed = second.api().get("/api/consumer-groups").json();
            assertThat(listed.toString())
                    .contains("{\"group_id\":\"durable-group\",\"state\":\"empty\",\"members\":0}");

            Consumer resumed = client.subscribe("durable-group", "earliest", "durable");

            assertThat(resumed.positions("durable")).containsExactly(Map.entry(0, 7L), Map.entry(1, 6L));
            assertThat(resumed.consume(100, 5000))
                    .extracting(Rec::partition, Rec::offset, Rec::valueText)
                    .containsExactly(tuple(0, 7L, "a-7"), tuple(0, 8L, "a-8"), tuple(0, 9L, "a-9"));
        }
    }

    /** Killed with SIGKILL right after a commit-all (empty body) answered: the positions survive as offsets. */
    @Test
    void sigkillAfterCommitAll_restartResumesAtTheCommittedPositions(@TempDir Path dataDir) throws Exception {
        try (ServerProcess first = ServerProcess.start(dataDir)) {
            ConsumerClient client = new ConsumerClient(first.api());
            client.createTopic("durable-all", 1);
            client.produceNumbered("durable-all", 0, "r", 20);
            Consumer consumer = client.subscribe("durable-all-group", "latest", "durable-all");
            consumer.seek("durable-all", 0, "offset", 5);
            assertThat(consumer.consume(7, 5000)).extracting(Rec::offset).containsExactly(5L, 6L, 7L, 8L, 9L, 10L, 11L);
            assertThat(consumer.commitRaw("").status()).isEqualTo(200);
            first.kill();
        }

        try (ServerProcess second = ServerProcess.start(dataDir)) {
            Consumer resumed = new ConsumerClient(second.api()).subscribe("durable-all-group", "latest", "durable-all");
            assertThat(resumed.consume(1, 5000)).extracting(Rec::offset).containsExactly(12L);
        }
    }
}
