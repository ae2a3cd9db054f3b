package io.takhin.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.takhin.it.ConsumerClient.Consumer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The configurable limits: live consumers ({@code --consumers.max}: 429 beyond it, a slot freed by
 * close or expiry) and the record bytes of one response ({@code --consumers.max-response-bytes}).
 */
class ConsumerLimitIT {
    @RegisterExtension
    static final TakhinServerExtension server =
            new TakhinServerExtension("--consumers.max=3", "--consumers.max-response-bytes=4096");

    @Test
    void subscribe_beyondConsumersMax_answers429UntilAConsumerCloses() {
        ConsumerClient client = ConsumerClient.connect(server);
        closeAll();
        client.createTopic("limited", 1);
        List<Consumer> consumers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            consumers.add(client.subscribe("limited-group-" + i, "earliest", "limited"));
        }

        HttpApi.Response refused = client.subscribeRaw("{\"group_id\":\"limited-extra\",\"topics\":[\"limited\"]}");

        assertThat(refused.status()).as(refused.body()).isEqualTo(429);
        assertThat(refused.code()).isEqualTo("too_many_requests");
        assertThat(refused.error()).contains("3");
        assertThat(server.api().get("/api/consumer-groups/limited-extra").status())
                .as("a refused subscribe joins no group")
                .isEqualTo(404);

        assertThat(consumers.getFirst().close().status()).isEqualTo(200);
        Consumer admitted = client.subscribe("limited-extra", "earliest", "limited");
        assertThat(admitted.id()).isNotEmpty();
        assertThat(client.subscribeRaw("{\"group_id\":\"limited-extra\",\"topics\":[\"limited\"]}")
                        .status())
                .isEqualTo(429);
    }

    /** A failed subscribe (unknown topic) does not use up a slot. */
    @Test
    void subscribe_failedForUnknownTopic_doesNotCountAgainstTheLimit() {
        ConsumerClient client = ConsumerClient.connect(server);
        closeAll();
        client.createTopic("limited-failures", 1);
        for (int i = 0; i < 10; i++) {
            assertThat(client.subscribeRaw("{\"group_id\":\"g\",\"topics\":[\"absent\"]}")
                            .status())
                    .isEqualTo(404);
        }

        List<Consumer> consumers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            consumers.add(client.subscribe("limited-failures-group", "earliest", "limited-failures"));
        }
        assertThat(consumers).hasSize(3);
        consumers.forEach(Consumer::close);
    }

    /** An expired session frees its slot too. */
    @Test
    void subscribe_afterASessionExpired_isAdmittedAgain() {
        ConsumerClient client = ConsumerClient.connect(server);
        closeAll();
        client.createTopic("limited-expiry", 1);
        List<Consumer> live = new ArrayList<>();
        live.add(client.subscribe("limited-expiry-a", "earliest", "limited-expiry"));
        live.add(client.subscribe("limited-expiry-b", "earliest", "limited-expiry"));
        client.subscribe("limited-expiry-c", "earliest", 1000, "limited-expiry");
        assertThat(client.subscribeRaw("{\"group_id\":\"x\",\"topics\":[\"limited-expiry\"]}")
                        .status())
                .isEqualTo(429);

        // Bounded wait on an observable condition: a subscribe is admitted once the silent consumer
        // expired (about 1 s); paced by a live consumer's 200 ms long polls.
        List<Consumer> admitted = new ArrayList<>();
        ConsumerClient.await(
                "a slot is freed by the expiry",
                Duration.ofSeconds(10),
                () -> {
                    HttpApi.Response response =
                            client.subscribeRaw("{\"group_id\":\"limited-expiry-d\",\"topics\":[\"limited-expiry\"]}");
                    if (response.status() == 200) {
                        admitted.add(ConsumerClient.connect(server)
                        .new Consumer(response.json().path("consumer_id").asText(), response.json()));
                        return true;
                    }
                    assertThat(response.status()).isEqualTo(429);
                    return false;
                },
                () -> live.getFirst().consume(1, 200));
        assertThat(admitted).hasSize(1);
        live.forEach(Consumer::close);
        admitted.forEach(Consumer::close);
    }

    /** A response never holds more record bytes than the server's limit, whatever max_bytes_total asks. */
    @Test
    void consume_maxBytesTotalAboveTheServerLimit_isLoweredToIt() {
        ConsumerClient client = ConsumerClient.connect(server);
        closeAll();
        client.createTopic("limited-bytes", 1);
        String kilobyte = "k".repeat(1000);
        for (int i = 0; i < 10; i++) {
            client.produce("limited-bytes", 0, kilobyte);
        }
        client.produce("limited-bytes", 0, "b".repeat(6000));
        Consumer consumer = client.subscribe("limited-bytes-group", "earliest", "limited-bytes");

        List<ConsumerClient.Rec> first = consumer.consume(100, 5000);
        assertThat(first).hasSize(4);
        assertThat(consumer.consume(100, 5000)).hasSize(4);
        assertThat(consumer.consume(100, 5000)).hasSize(2);
        assertThat(consumer.consume(100, 5000))
                .as("one record above the limit still comes, alone")
                .singleElement()
                .satisfies(record -> assertThat(record.value()).hasSize(6000));
        consumer.close();
    }

    /** Closes whatever consumers earlier tests of this class left, so each test starts with free slots. */
    private static void closeAll() {
        for (JsonNode group : server.api().get("/api/consumer-groups").json()) {
            JsonNode described = server.api()
                    .get("/api/consumer-groups/" + group.path("group_id").asText())
                    .json();
            for (JsonNode member : described.path("members")) {
                server.api()
                        .delete("/api/consumers/" + member.path("consumer_id").asText());
            }
        }
        for (JsonNode group : server.api().get("/api/consumer-groups").json()) {
            assertThat(group.path("members").asInt()).isZero();
        }
    }
}
