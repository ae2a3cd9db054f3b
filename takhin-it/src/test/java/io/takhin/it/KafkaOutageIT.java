package io.takhin.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.takhin.kafka.fixture.KafkaCluster;
import io.takhin.server.TakhinServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole Kafka cluster goes away and comes back: meanwhile the server answers 503
 * backend_unavailable at once (health included), and afterwards it serves again by itself, with
 * the consumer that was subscribed before still working. Its own one-node cluster, killed with
 * SIGKILL and restarted on the same ports and data.
 */
@Tag(TestBackend.KAFKA_ONLY)
class KafkaOutageIT {
    @Test
    void clusterKilledAndRestarted_serverAnswers503MeanwhileAndRecoversByItself(@TempDir Path dir) throws Exception {
        try (KafkaCluster cluster = KafkaCluster.start(1, dir.resolve("kafka"));
                TakhinServer server = TakhinServer.start(List.of(
                        "--api-addr=127.0.0.1:0",
                        "--data-dir=" + dir.resolve("data"),
                        "--backend=kafka",
                        "--kafka.bootstrap.servers=" + cluster.bootstrapServers()))) {
            HttpApi api = new HttpApi("http://127.0.0.1:" + server.port());
            assertThat(api.post("/api/topics", "{\"name\":\"outage\",\"partitions\":1}")
                            .status())
                    .isEqualTo(201);
            String subscribed = api.post(
                            "/api/consumers/subscribe",
                            "{\"group_id\":\"outage-group\",\"topics\":[\"outage\"],\"auto_offset_reset\":\"earliest\","
                                    + "\"session_timeout_ms\":120000}")
                    .body();
            String consumerId =
                    HttpApi.JSON.readTree(subscribed).path("consumer_id").asText();

            cluster.kill(1);
            awaitStatus(api, "/api/health", 503, Duration.ofSeconds(20));
            HttpApi.Response health = api.get("/api/health");
            assertThat(health.json().path("status").asText()).isEqualTo("backend_unavailable");
            assertThat(health.json().path("detail").asText()).contains(cluster.bootstrapServers());
            long start = System.nanoTime();
            HttpApi.Response produce = api.post("/api/topics/outage/produce", "{\"records\":[{\"value\":1}]}");
            long tookMs = (System.nanoTime() - start) / 1_000_000;
            assertThat(produce.status()).isEqualTo(503);
            assertThat(produce.code()).isEqualTo("backend_unavailable");
            assertThat(produce.error()).contains(cluster.bootstrapServers());
            assertThat(tookMs).as("answered at once, ms").isLessThan(2_000);

            cluster.restart(1);
            awaitStatus(api, "/api/health", 200, Duration.ofSeconds(60));
            HttpApi.Response after = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline) {
                after = api.post("/api/topics/outage/produce", "{\"records\":[{\"value\":\"back\"}]}");
                if (after.status() == 200) {
                    break;
                }
                Thread.sleep(200);
            }
            assertThat(after).isNotNull();
            assertThat(after.status()).as(after.body()).isEqualTo(200);
            HttpApi.Response consumed = null;
            deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline) {
                consumed = api.post("/api/consumers/" + consumerId + "/consume", "{\"timeout_ms\":2000}");
                if (consumed.status() == 200 && consumed.body().contains("\"offset\"")) {
                    break;
                }
                Thread.sleep(200);
            }
            assertThat(consumed).isNotNull();
            assertThat(consumed.status()).as(consumed.body()).isEqualTo(200);
            assertThat(consumed.body())
                    .as("the consumer subscribed before the outage reads again")
                    .contains("\"offset\"");
        }
    }

    private static void awaitStatus(HttpApi api, String path, int status, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (api.get(path).status() != status) {
            assertThat(System.nanoTime())
                    .as("%s answers %d within %s", path, status, limit)
                    .isLessThan(deadline);
            Thread.sleep(100);
        }
    }
}
