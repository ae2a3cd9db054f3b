package io.takhin.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.takhin.it.ConsumerClient.Consumer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Contract §4: GET /api/consumer-groups and /api/consumer-groups/{group}. */
class GroupsIT {
    @RegisterExtension
    static final TakhinServerExtension server = new TakhinServerExtension();

    private static ConsumerClient client() {
        return ConsumerClient.connect(server);
    }

    private static Optional<JsonNode> listed(String groupId) {
        HttpApi.Response response = server.api().get("/api/consumer-groups");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().isArray()).isTrue();
        for (JsonNode group : response.json()) {
            if (group.path("group_id").asText().equals(groupId)) {
                return Optional.of(group);
            }
        }
        return Optional.empty();
    }

    @Test
    void list_groupsWithMembers_showStateAndMemberCount() {
        ConsumerClient client = client();
        client.createTopic("listed", 2);
        client.subscribe("listed-two", "earliest", "listed");
        client.subscribe("listed-two", "earliest", "listed");
        client.subscribe("listed-one", "earliest", "listed");

        JsonNode two = listed("listed-two").orElseThrow();
        JsonNode one = listed("listed-one").orElseThrow();

        assertThat(ConsumerClient.fieldNames(two)).containsExactlyInAnyOrder("group_id", "state", "members");
        assertThat(two.path("state").asText()).isEqualTo("stable");
        assertThat(two.path("members").asInt()).isEqualTo(2);
        assertThat(one.path("members").asInt()).isEqualTo(1);
    }

    /** A group whose members all left stays listed while it has committed offsets, with no members. */
    @Test
    void list_groupWithoutMembersButWithOffsets_isListedEmpty() {
        ConsumerClient client = client();
        client.createTopic("left", 1);
        client.produce("left", 0, "x");
        Consumer consumer = client.subscribe("left-group", "earliest", "left");
        consumer.commit("left", Map.of(0, 1L));
        Consumer uncommitted = client.subscribe("left-nothing", "earliest", "left");

        consumer.close();
        uncommitted.close();

        JsonNode group = listed("left-group").orElseThrow();
        assertThat(group.path("members").asInt()).isZero();
        assertThat(group.path("state").asText()).isEqualTo("empty");
        assertThat(server.api().get("/api/consumer-groups/left-group").status()).isEqualTo(200);
    }

    @Test
    void describe_showsMembersWithHostAndAssignmentAndOffsetsWithLag() {
        ConsumerClient client = client();
        client.createTopic("described", 3);
        client.produceNumbered("described", 0, "a", 10);
        client.produceNumbered("described", 1, "b", 4);
        Consumer first = client.subscribe("described-group", "earliest", "described");
        Consumer second = client.subscribe("described-group", "earliest", "described");
        (first.partitions("described").contains(0) ? first : second).commit("described", Map.of(0, 6L));
        (first.partitions("described").contains(1) ? first : second).commit("described", Map.of(1, 4L));

        HttpApi.Response response = server.api().get("/api/consumer-groups/described-group");

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode group = response.json();
        assertThat(group.path("group_id").asText()).isEqualTo("described-group");
        assertThat(group.path("state").asText()).isEqualTo("stable");
        List<JsonNode> members = new ArrayList<>();
        group.path("members").forEach(members::add);
        assertThat(members).hasSize(2);
        Set<String> ids = new TreeSet<>();
        Set<Integer> owned = new TreeSet<>();
        for (JsonNode member : members) {
            ids.add(member.path("consumer_id").asText());
            assertThat(member.path("client_host").asText()).isEqualTo("127.0.0.1");
            String id = member.path("consumer_id").asText();
            Consumer consumer = id.equals(first.id()) ? first : second;
            assertThat(ConsumerClient.partitionsOf(member, "described")).isEqualTo(consumer.partitions("described"));
            owned.addAll(ConsumerClient.partitionsOf(member, "described"));
        }
        assertThat(ids).containsExactlyInAnyOrder(first.id(), second.id());
        assertThat(owned).containsExactly(0, 1, 2);
        assertThat(group.path("offsets").toString())
                .isEqualTo(
                        "[{\"topic\":\"described\",\"partition\":0,\"committed_offset\":6,\"high_water_mark\":10,\"lag\":4},"
                                + "{\"topic\":\"described\",\"partition\":1,\"committed_offset\":4,\"high_water_mark\":4,\"lag\":0}]");
    }

    /** Lag follows the partition's end: producing more raises it without a new commit. */
    @Test
    void describe_lagGrowsWithProducedRecords() {
        ConsumerClient client = client();
        client.createTopic("lagging", 1);
        client.produceNumbered("lagging", 0, "a", 3);
        Consumer consumer = client.subscribe("lagging-group", "earliest", "lagging");
        consumer.commit("lagging", Map.of(0, 3L));

        client.produceNumbered("lagging", 0, "b", 5);

        JsonNode offset = server.api()
                .get("/api/consumer-groups/lagging-group")
                .json()
                .path("offsets")
                .get(0);
        assertThat(offset.path("committed_offset").asLong()).isEqualTo(3);
        assertThat(offset.path("high_water_mark").asLong()).isEqualTo(8);
        assertThat(offset.path("lag").asLong()).isEqualTo(5);
    }

    @Test
    void describe_unknownGroup_answers404() {
        HttpApi.Response response = server.api().get("/api/consumer-groups/no-such-group");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.code()).isEqualTo("group_not_found");
        assertThat(response.error()).contains("no-such-group");
        assertThat(listed("no-such-group")).isEmpty();
    }

    /** A closed member disappears from the description at once. */
    @Test
    void describe_afterClose_memberIsGone() {
        ConsumerClient client = client();
        client.createTopic("gone", 2);
        Consumer staying = client.subscribe("gone-group", "earliest", "gone");
        Consumer leaving = client.subscribe("gone-group", "earliest", "gone");

        leaving.close();

        JsonNode group = server.api().get("/api/consumer-groups/gone-group").json();
        assertThat(group.path("members")).hasSize(1);
        assertThat(group.path("members").get(0).path("consumer_id").asText()).isEqualTo(staying.id());
        assertThat(ConsumerClient.partitionsOf(group.path("members").get(0), "gone"))
                .containsExactly(0, 1);
        assertThat(listed("gone-group").orElseThrow().path("members").asInt()).isEqualTo(1);
    }

    /**
     * Group ids are free text (the contract only asks for non-empty): any id subscribe accepts can
     * be described through its percent-encoded path segment; an id the server cannot address must
     * be refused at subscribe with 400 naming group_id instead.
     */
    @ParameterizedTest
    @ValueSource(strings = {"my group ü", "a/b", "50%off", "what?#now"})
    void describe_groupIdThatNeedsPercentEncoding_isFoundOrWasRefusedAtSubscribe(String groupId) {
        HttpApi.Response created = server.api().post("/api/topics", "{\"name\":\"encoded-ids\",\"partitions\":1}");
        assertThat(created.status()).isIn(201, 409);

        HttpApi.Response subscribed =
                client().subscribeRaw(HttpApi.json(Map.of("group_id", groupId, "topics", List.of("encoded-ids"))));

        if (subscribed.status() == 400) {
            assertThat(subscribed.error()).contains("group_id");
            return;
        }
        assertThat(subscribed.status()).as(subscribed.body()).isEqualTo(200);
        assertThat(listed(groupId)).isPresent();
        HttpApi.Response described = server.api().get("/api/consumer-groups/" + percentEncode(groupId));
        assertThat(described.status()).as(described.body()).isEqualTo(200);
        assertThat(described.json().path("group_id").asText()).isEqualTo(groupId);
    }

    /** RFC 3986 percent-encoding of one path segment: everything but unreserved characters. */
    private static String percentEncode(String segment) {
        StringBuilder encoded = new StringBuilder();
        for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0) {
                encoded.append(c);
            } else {
                encoded.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return encoded.toString();
    }
}
