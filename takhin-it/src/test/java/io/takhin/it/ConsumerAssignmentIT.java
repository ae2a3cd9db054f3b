package io.takhin.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import io.takhin.it.ConsumerClient.Consumer;
import io.takhin.it.ConsumerClient.Rec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Contract §1 PUT/GET assignment (manual assignment takes a consumer out of group balancing) and
 * §2's promise to consumers when a topic they read is deleted, or created again.
 */
class ConsumerAssignmentIT {
    @RegisterExtension
    static final TakhinServerExtension server = new TakhinServerExtension();

    private static ConsumerClient client() {
        return ConsumerClient.connect(server);
    }

    // ---- manual assignment --------------------------------------------------------------------

    @Test
    void assign_manualPartitions_ownsExactlyThoseAndBalancedMembersNeverGetThem() {
        ConsumerClient client = client();
        client.createTopic("manual", 4);
        Consumer manual = client.subscribe("manual-group", "earliest", "manual");

        HttpApi.Response assigned = manual.assignRaw("{\"topics\":{\"manual\":[0,1]}}");

        assertThat(assigned.status()).as(assigned.body()).isEqualTo(200);
        assertThat(ConsumerClient.fieldNames(assigned.json()))
                .containsExactlyInAnyOrder("consumer_id", "group_id", "topics", "assignment", "generation_id");
        assertThat(assigned.json().path("consumer_id").asText()).isEqualTo(manual.id());
        assertThat(assigned.json().path("group_id").asText()).isEqualTo("manual-group");
        assertThat(assigned.json().path("topics").toString()).isEqualTo("[\"manual\"]");
        assertThat(assigned.json().path("assignment").toString()).isEqualTo("{\"manual\":[0,1]}");

        Consumer balanced = client.subscribe("manual-group", "earliest", "manual");
        assertThat(ConsumerClient.partitionsOf(balanced.subscribed(), "manual")).containsExactly(2, 3);
        Consumer another = client.subscribe("manual-group", "earliest", "manual");

        assertThat(manual.partitions("manual")).containsExactly(0, 1);
        assertThat(balanced.partitions("manual")).hasSize(1).doesNotContain(0, 1);
        assertThat(another.partitions("manual")).hasSize(1).doesNotContain(0, 1);
        assertThat(balanced.close().status()).isEqualTo(200);
        assertThat(another.partitions("manual")).containsExactly(2, 3);
        assertThat(manual.partitions("manual")).containsExactly(0, 1);
    }

    /** The manual member reads exactly its partitions, and may commit them for its group. */
    @Test
    void assign_manualMember_consumesAndCommitsOnlyItsPartitions() {
        ConsumerClient client = client();
        client.createTopic("manual-read", 3);
        for (int p = 0; p < 3; p++) {
            client.produceNumbered("manual-read", p, "p" + p, 4);
        }
        Consumer manual = client.subscribe("manual-read-group", "earliest", "manual-read");
        assertThat(manual.assignRaw("{\"topics\":{\"manual-read\":[1]}}").status())
                .isEqualTo(200);

        List<Rec> records = manual.consumeAtLeast(4, Duration.ofSeconds(10));

        assertThat(records).extracting(Rec::partition).containsOnly(1);
        assertThat(records).extracting(Rec::offset).containsExactly(0L, 1L, 2L, 3L);
        assertThat(manual.commitRaw("").status()).isEqualTo(200);
        HttpApi.Response notMine = manual.commitRaw(ConsumerClient.commitBody("manual-read", Map.of(0, 1L)));
        assertThat(notMine.status()).isEqualTo(409);
        assertThat(notMine.code()).isEqualTo("partition_not_owned");
    }

    @Test
    void assign_unknownTopic_answers404TopicNotFound() {
        ConsumerClient client = client();
        client.createTopic("manual-known", 2);
        Consumer consumer = client.subscribe("manual-unknown-group", "earliest", "manual-known");

        HttpApi.Response response = consumer.assignRaw("{\"topics\":{\"manual-known\":[0],\"no-such-topic\":[0]}}");

        assertThat(response.status()).as(response.body()).isEqualTo(404);
        assertThat(response.code()).isEqualTo("topic_not_found");
        assertThat(response.error()).contains("no-such-topic");
        assertThat(consumer.partitions("manual-known")).as("unchanged").containsExactly(0, 1);
    }

    @Test
    void assign_unknownPartition_answers404() {
        ConsumerClient client = client();
        client.createTopic("manual-range", 2);
        Consumer consumer = client.subscribe("manual-range-group", "earliest", "manual-range");

        HttpApi.Response response = consumer.assignRaw("{\"topics\":{\"manual-range\":[1,2]}}");

        assertThat(response.status()).as(response.body()).isEqualTo(404);
        assertThat(response.code()).isEqualTo("partition_not_found");
        assertThat(consumer.partitions("manual-range")).as("unchanged").containsExactly(0, 1);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{not json",
                "{\"topics\":[\"manual-bad\"]}",
                "{\"topics\":{\"manual-bad\":[-1]}}",
                "{\"topics\":{\"manual-bad\":\"0\"}}",
                "{}"
            })
    void assign_malformedRequest_answers400(String body) {
        ConsumerClient client = client();
        HttpApi.Response created = server.api().post("/api/topics", "{\"name\":\"manual-bad\",\"partitions\":1}");
        assertThat(created.status()).isIn(201, 409);
        Consumer consumer = client.subscribe("manual-bad-group-" + Math.abs(body.hashCode()), "earliest", "manual-bad");

        HttpApi.Response response = consumer.assignRaw(body);

        assertThat(response.status()).as(response.body()).isEqualTo(400);
    }

    /** C6: manual assignments of one group never overlap. */
    @Test
    void assign_partitionAnotherManualMemberHolds_answers409() {
        ConsumerClient client = client();
        client.createTopic("manual-overlap", 2);
        Consumer first = client.subscribe("manual-overlap-group", "earliest", "manual-overlap");
        Consumer second = client.subscribe("manual-overlap-group", "earliest", "manual-overlap");
        assertThat(first.assignRaw("{\"topics\":{\"manual-overlap\":[0]}}").status())
                .isEqualTo(200);

        HttpApi.Response response = second.assignRaw("{\"topics\":{\"manual-overlap\":[0,1]}}");

        assertThat(response.status()).as(response.body()).isEqualTo(409);
        assertThat(response.code()).isEqualTo("partition_not_owned");
        assertThat(first.partitions("manual-overlap")).containsExactly(0);
        assertThat(second.partitions("manual-overlap")).containsExactly(1);
    }

    /** GET assignment answers in the shape of subscribe, with the same content when nothing moved. */
    @Test
    void getAssignment_afterSubscribe_hasTheShapeAndContentOfTheSubscribeResponse() {
        ConsumerClient client = client();
        client.createTopic("shape", 3);
        Consumer consumer = client.subscribe("shape-group", "earliest", "shape");

        JsonNode assignment = consumer.assignment();

        assertThat(assignment).isEqualTo(consumer.subscribed());
    }

    /** Newly assigned partitions start at the group's committed offset, else per auto_offset_reset. */
    @ParameterizedTest
    @ValueSource(strings = {"earliest", "latest"})
    void assign_newPartitions_startAtCommittedOffsetElseAutoOffsetReset(String reset) {
        ConsumerClient client = client();
        String topic = "manual-start-" + reset;
        client.createTopic(topic, 2);
        client.createTopic(topic + "-other", 1);
        client.produceNumbered(topic, 0, "a", 6);
        client.produceNumbered(topic, 1, "b", 6);
        Consumer committer = client.subscribe(topic + "-group", "earliest", topic);
        committer.commit(topic, Map.of(0, 2L));
        assertThat(committer.close().status()).isEqualTo(200);
        Consumer manual = client.subscribe(topic + "-group", reset, topic + "-other");

        HttpApi.Response assigned = manual.assignRaw(HttpApi.json(Map.of("topics", Map.of(topic, List.of(0, 1)))));

        assertThat(assigned.status()).as(assigned.body()).isEqualTo(200);
        assertThat(manual.positions(topic))
                .containsExactly(Map.entry(0, 2L), Map.entry(1, reset.equals("earliest") ? 0L : 6L));
        assertThat(manual.partitions(topic + "-other"))
                .as("manual: exactly what was asked")
                .isEmpty();
    }

    // ---- topics deleted and created again ----------------------------------------------------

    @Test
    void deleteTopic_whileSubscribed_consumersStopReceivingItsPartitions() {
        ConsumerClient client = client();
        client.createTopic("doomed", 2);
        client.createTopic("kept", 1);
        Consumer consumer = client.subscribe("doomed-group", "earliest", "doomed", "kept");
        client.produce("doomed", 0, "d");
        consumer.consumeAtLeast(1, Duration.ofSeconds(10));
        assertThat(consumer.commitRaw("").status()).isEqualTo(200);

        client.deleteTopic("doomed");

        assertThat(consumer.partitions("doomed")).isEmpty();
        assertThat(consumer.partitions("kept")).containsExactly(0);
        client.produce("kept", 0, "k");
        assertThat(consumer.consume(10, 5000)).extracting(Rec::valueText).containsExactly("k");
        HttpApi.Response position = consumer.positionRaw();
        assertThat(position.json().path("offsets").has("doomed")).isFalse();
        HttpApi.Response group = server.api().get("/api/consumer-groups/doomed-group");
        assertThat(group.body())
                .as("committed offsets of a deleted topic go too")
                .doesNotContain("\"doomed\"");
    }

    /** Members keep their subscription: a topic created again under the name comes back to them. */
    @Test
    void createTopic_againAfterDeletion_comesBackToSubscribedMembersFromItsStart() {
        ConsumerClient client = client();
        client.createTopic("phoenix", 1);
        client.createTopic("phoenix-side", 1);
        Consumer consumer = client.subscribe("phoenix-group", "earliest", "phoenix", "phoenix-side");
        client.produceNumbered("phoenix", 0, "old", 3);
        consumer.consumeAtLeast(3, Duration.ofSeconds(10));
        assertThat(consumer.commitRaw("").status()).isEqualTo(200);
        client.deleteTopic("phoenix");
        assertThat(consumer.consume(10, 0)).isEmpty();

        client.createTopic("phoenix", 2);
        client.produce("phoenix", 0, "new");

        assertThat(consumer.partitions("phoenix")).containsExactly(0, 1);
        assertThat(consumer.consume(10, 5000))
                .extracting(Rec::offset, Rec::valueText)
                .containsExactly(tuple(0L, "new"));
    }

    /**
     * The same when the consumer made no consume call between the deletion and the re-creation
     * (say it was processing a batch): the new topic is still read from its start, not from the
     * position the consumer had on the deleted one.
     */
    @Test
    void createTopic_againWhileConsumerIdle_newTopicIsReadFromItsStart() {
        ConsumerClient client = client();
        client.createTopic("reborn", 1);
        Consumer consumer = client.subscribe("reborn-group", "earliest", "reborn");
        client.produceNumbered("reborn", 0, "old", 3);
        consumer.consumeAtLeast(3, Duration.ofSeconds(10));

        client.deleteTopic("reborn");
        client.createTopic("reborn", 1);
        client.produce("reborn", 0, "new");

        assertThat(consumer.positions("reborn")).containsExactly(Map.entry(0, 0L));
        assertThat(consumer.consume(10, 2000)).extracting(Rec::valueText).containsExactly("new");
    }
}
