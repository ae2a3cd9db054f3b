package io.takhin.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.takhin.it.ConsumerClient.Consumer;
import io.takhin.it.ConsumerClient.RawHttp;
import io.takhin.it.ConsumerClient.Rec;
import io.takhin.it.ConsumerClient.TimedResponse;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Consumer sessions over HTTP: one poll at a time, heartbeats, expiry, and the position moving only
 * once a consume response has been written to the client.
 */
class ConsumerSessionIT {
    @RegisterExtension
    static final TakhinServerExtension server = new TakhinServerExtension();

    private static ConsumerClient client() {
        return ConsumerClient.connect(server);
    }

    /** A consumer of its own group that only serves to pace bounded wait loops with its long polls. */
    private static Runnable pacer(String name) {
        ConsumerClient client = client();
        client.createTopic(name, 1);
        Consumer pacer = client.subscribe(name + "-group", "latest", name);
        return () -> pacer.consume(1, 200);
    }

    private static boolean isMember(String group, String consumerId) {
        HttpApi.Response response = server.api().get("/api/consumer-groups/" + group);
        return response.status() == 200 && response.body().contains(consumerId);
    }

    // ---- one poll at a time -------------------------------------------------------------------

    /**
     * A client that sends its consumes strictly one after the other (each after the previous
     * response arrived) must never be told poll_in_progress, whichever pooled connection it uses.
     */
    @Test
    void consume_strictlySequentialRequestsOverTwoConnections_neverAnswer409() {
        ConsumerClient client = client();
        client.createTopic("sequential", 1);
        Consumer consumer = client.subscribe("sequential-group", "earliest", "sequential");
        List<HttpApi> connections = List.of(
                new HttpApi(server.api().baseUrl()), new HttpApi(server.api().baseUrl()));
        List<String> refused = new ArrayList<>();

        for (int i = 0; i < 2000; i++) {
            HttpApi.Response response =
                    connections.get(i % 2).post("/api/consumers/" + consumer.id() + "/consume", "{\"timeout_ms\":0}");
            if (response.status() != 200) {
                refused.add("request " + i + ": " + response.status() + " " + response.body());
            }
        }

        assertThat(refused).as("sequential consumes refused").isEmpty();
    }

    /**
     * The position a consume moved is visible to the very next request, whichever connection it
     * arrives on: GET position sent after the consume response arrived shows last offset + 1.
     * Consumes go over one raw keep-alive connection (so they never race each other), positions
     * over another.
     */
    @Test
    void position_readRightAfterConsumeOverAnotherConnection_showsTheAdvance() {
        ConsumerClient client = client();
        client.createTopic("visible-position", 1);
        client.produceNumbered("visible-position", 0, "v", 1500);
        Consumer consumer = client.subscribe("visible-position-group", "earliest", "visible-position");
        HttpApi other = new HttpApi(server.api().baseUrl());
        List<String> stale = new ArrayList<>();

        try (RawHttp consumes = RawHttp.connect(server.api().baseUrl())) {
            for (int i = 0; i < 1500; i++) {
                RawHttp.Response response = consumes.request(
                        "POST",
                        "/api/consumers/" + consumer.id() + "/consume",
                        "{\"max_records\":1,\"timeout_ms\":5000}");
                assertThat(response.status()).as(response.body()).isEqualTo(200);
                List<Rec> records = Rec.all(response.json());
                assertThat(records).hasSize(1);
                HttpApi.Response position = other.get("/api/consumers/" + consumer.id() + "/position");
                long shown = position.json()
                        .path("offsets")
                        .path("visible-position")
                        .path("0")
                        .asLong();
                if (shown != records.getFirst().offset() + 1) {
                    stale.add("after offset " + records.getFirst().offset() + " position was " + shown);
                }
            }
        }

        assertThat(stale).as("positions read right after a consume").isEmpty();
    }

    // ---- the position moves once the response is written ---------------------------------------

    /**
     * A client that closes its connection while its long poll waits never receives the records
     * that wake the poll; the next consume must deliver them again (the position moves only when
     * a response was written to the client).
     */
    @Test
    void consume_clientClosedConnectionDuringLongPoll_nextConsumeGetsTheSameRecords() {
        assertRedeliveredAfterClientWentAway("gone-fin", false);
    }

    /** The same with a connection reset (RST) instead of an orderly close. */
    @Test
    void consume_clientResetConnectionDuringLongPoll_nextConsumeGetsTheSameRecords() {
        assertRedeliveredAfterClientWentAway("gone-rst", true);
    }

    /**
     * A client that pipelines another request behind its parked long poll gets the poll answered
     * at once with no records, then the pipelined request answered normally: watching the socket
     * for a departed client must not swallow the next request's bytes.
     */
    @Test
    void consume_requestPipelinedBehindParkedLongPoll_pollEndsEmptyAndTheNextRequestIsAnswered() {
        ConsumerClient client = client();
        client.createTopic("pipelined", 1);
        Consumer consumer = client.subscribe("pipelined-group", "earliest", "pipelined");
        try (RawHttp connection = RawHttp.connect(server.api().baseUrl())) {
            parkLongPoll(consumer, connection);
            long sentNanos = System.nanoTime();
            connection.send("GET", "/api/consumers/" + consumer.id() + "/position", "");

            RawHttp.Response poll = connection.readResponse();
            long pollEndedMs = (System.nanoTime() - sentNanos) / 1_000_000;
            RawHttp.Response position = connection.readResponse();

            assertThat(poll.status()).as(poll.body()).isEqualTo(200);
            assertThat(poll.body()).startsWith("{\"records\":[]");
            assertThat(pollEndedMs)
                    .as("the 20 s poll ended when the next request arrived")
                    .isLessThan(10_000L);
            assertThat(position.status()).as(position.body()).isEqualTo(200);
            assertThat(position.json()
                            .path("offsets")
                            .path("pipelined")
                            .path("0")
                            .asLong(-1))
                    .as(position.body())
                    .isZero();
        }
    }

    private static void assertRedeliveredAfterClientWentAway(String topic, boolean reset) {
        ConsumerClient client = client();
        client.createTopic(topic, 1);
        Consumer consumer = client.subscribe(topic + "-group", "earliest", topic);
        RawHttp leaving = RawHttp.connect(server.api().baseUrl());
        parkLongPoll(consumer, leaving);
        if (reset) {
            try {
                leaving.socket().setSoLinger(true, 0);
            } catch (SocketException e) {
                throw new IllegalStateException(e);
            }
        }
        leaving.close();

        client.produce(topic, 0, "first", "second");

        // The abandoned poll wakes on the append and tries to write; until it has finished, a
        // consume answers 409. Probes go over one keep-alive connection, one at a time; bounded.
        try (RawHttp next = RawHttp.connect(server.api().baseUrl())) {
            long deadline = System.nanoTime() + Duration.ofSeconds(25).toNanos();
            RawHttp.Response response;
            do {
                assertThat(System.nanoTime()).as("the abandoned poll ended").isLessThan(deadline);
                response = next.request("POST", "/api/consumers/" + consumer.id() + "/consume", "{\"timeout_ms\":0}");
            } while (response.status() == 409);
            assertThat(response.status()).as(response.body()).isEqualTo(200);
            // A backend may take a moment to see the produced records, and Kafka may fetch the two
            // in separate batches: collect until both are here (bounded), each consume in order.
            List<Rec> records = new ArrayList<>(Rec.all(response.json()));
            for (int i = 0; i < 5 && records.size() < 2; i++) {
                response =
                        next.request("POST", "/api/consumers/" + consumer.id() + "/consume", "{\"timeout_ms\":5000}");
                assertThat(response.status()).as(response.body()).isEqualTo(200);
                records.addAll(Rec.all(response.json()));
            }
            String position = next.request("GET", "/api/consumers/" + consumer.id() + "/position", "")
                    .body();
            assertThat(records)
                    .as(
                            "records written to a client that had gone away are delivered again (position now %s)",
                            position)
                    .extracting(Rec::offset)
                    .containsExactly(0L, 1L);
        }
    }

    /**
     * Sends a 20 s long poll over {@code leaving} and returns once the server holds it: probes
     * (consumes with timeout_ms 0, one at a time over their own connection) then answer 409
     * poll_in_progress. If the long poll itself was refused because a probe held the consumer's one
     * poll at that moment, it is sent again. Bounded.
     */
    private static void parkLongPoll(Consumer consumer, RawHttp leaving) {
        String path = "/api/consumers/" + consumer.id() + "/consume";
        leaving.send("POST", path, "{\"timeout_ms\":20000}");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        try (RawHttp probes = RawHttp.connect(server.api().baseUrl())) {
            while (true) {
                assertThat(System.nanoTime()).as("the long poll is held").isLessThan(deadline);
                if (leaving.responseArrived()) {
                    RawHttp.Response refused = leaving.readResponse();
                    assertThat(refused.status()).as(refused.body()).isEqualTo(409);
                    leaving.send("POST", path, "{\"timeout_ms\":20000}");
                    continue;
                }
                RawHttp.Response probe = probes.request("POST", path, "{\"timeout_ms\":0}");
                if (probe.status() == 409) {
                    return;
                }
                assertThat(probe.status()).as(probe.body()).isEqualTo(200);
                assertThat(probe.body()).startsWith("{\"records\":[]");
            }
        }
    }

    // ---- heartbeats and expiry ------------------------------------------------------------------

    /** A consumer with no call for session_timeout_ms is closed: 404 afterwards, group without it. */
    @Test
    void session_noCallForTheTimeout_consumerIsClosedAndAnswers404() {
        ConsumerClient client = client();
        client.createTopic("expiring", 1);
        Runnable pace = pacer("expiring-pacer");
        Consumer consumer = client.subscribe("expiring-group", "earliest", 1000, "expiring");
        long lastCallNanos = System.nanoTime();
        assertThat(isMember("expiring-group", consumer.id())).isTrue();

        // Bounded wait on an observable condition: the group description (not a call on the
        // session, so not a heartbeat) drops the member; paced by another group's 200 ms long polls.
        ConsumerClient.await(
                "the silent consumer expires",
                Duration.ofSeconds(10),
                () -> !isMember("expiring-group", consumer.id()),
                pace);
        long expiredAfterMs = (System.nanoTime() - lastCallNanos) / 1_000_000;

        // Not before its session timeout; and promptly after it (the wait loop adds up to ~250 ms).
        assertThat(expiredAfterMs).isBetween(950L, 3_000L);
        HttpApi.Response response = consumer.consumeRaw("");
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.code()).isEqualTo("consumer_not_found");
    }

    /** Every call is a heartbeat: position, assignment, commit and seek calls keep a session alive. */
    @Test
    void session_otherCallsThanConsume_keepTheSessionAlive() {
        ConsumerClient client = client();
        client.createTopic("heartbeats", 1);
        client.produceNumbered("heartbeats", 0, "h", 3);
        Runnable pace = pacer("heartbeats-pacer");
        Consumer consumer = client.subscribe("heartbeats-group", "earliest", 1000, "heartbeats");
        long end = System.nanoTime() + Duration.ofMillis(3000).toNanos();

        int call = 0;
        while (System.nanoTime() < end) {
            pace.run(); // about 200 ms between calls, well inside the 1000 ms session timeout
            HttpApi.Response response = switch (call++ % 4) {
                case 0 -> consumer.positionRaw();
                case 1 -> consumer.assignmentRaw();
                case 2 -> consumer.commitRaw("");
                default -> consumer.seekRaw("{\"topic\":\"heartbeats\",\"partition\":0,\"offset\":1}");
            };
            assertThat(response.status())
                    .as("call %d: %s", call, response.body())
                    .isEqualTo(200);
        }

        assertThat(consumer.consume(10, 1000)).extracting(Rec::offset).containsExactly(1L, 2L);
    }

    /** A long poll in progress counts as activity, even one longer than the session timeout. */
    @Test
    void session_longPollLongerThanTheTimeout_keepsTheSessionAlive() {
        ConsumerClient client = client();
        client.createTopic("long-poll-alive", 1);
        Consumer consumer = client.subscribe("long-poll-alive-group", "earliest", 1000, "long-poll-alive");

        long start = System.nanoTime();
        List<Rec> records = consumer.consume(10, 2500);

        assertThat(records).isEmpty();
        assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(2400);
        HttpApi.Response after = consumer.positionRaw();
        assertThat(after.status()).as(after.body()).isEqualTo(200);
    }

    /** DELETE closes at once: later calls get 404, and the id is not reused by the next subscriber. */
    @Test
    void close_thenAnyCall_answers404() {
        ConsumerClient client = client();
        client.createTopic("closing", 1);
        Consumer consumer = client.subscribe("closing-group", "earliest", "closing");

        HttpApi.Response closed = consumer.close();

        assertThat(closed.status()).isEqualTo(200);
        assertThat(closed.json().path("message").asText()).isEqualTo("consumer closed");
        assertThat(consumer.close().status()).isEqualTo(404);
        assertThat(consumer.positionRaw().status()).isEqualTo(404);
        assertThat(consumer.commitRaw("").status()).isEqualTo(404);
        assertThat(isMember("closing-group", consumer.id())).isFalse();
    }

    /** A poll parked when its consumer is deleted does not deliver records produced afterwards. */
    @Test
    void close_duringLongPoll_pollDeliversNothingAfterwards() throws Exception {
        ConsumerClient client = client();
        client.createTopic("close-while-polling", 1);
        Consumer consumer = client.subscribe("close-while-polling-group", "earliest", "close-while-polling");
        CompletableFuture<TimedResponse> poll = consumer.consumeAsync("{\"timeout_ms\":5000}");
        consumer.awaitPollInFlight(Duration.ofSeconds(10));

        assertThat(consumer.close().status()).isEqualTo(200);
        client.produce("close-while-polling", 0, "after-close");

        TimedResponse answer = poll.get(30, TimeUnit.SECONDS);
        assertThat(answer.response().status()).isIn(200, 404);
        if (answer.response().status() == 200) {
            assertThat(Rec.all(answer.response().json())).isEmpty();
        }
        Consumer next = client.subscribe("close-while-polling-group", "earliest", "close-while-polling");
        assertThat(next.consume(10, 5000)).extracting(Rec::valueText).containsExactly("after-close");
    }

    /**
     * Closing a consumer ends its parked long poll at once (as Kafka's wakeup does), rather than
     * leaving the client's polling thread blocked until the timeout.
     */
    @Test
    void close_duringLongPoll_pollAnswersPromptly() throws Exception {
        ConsumerClient client = client();
        client.createTopic("close-wakes", 1);
        Consumer consumer = client.subscribe("close-wakes-group", "earliest", "close-wakes");
        CompletableFuture<TimedResponse> poll = consumer.consumeAsync("{\"timeout_ms\":20000}");
        consumer.awaitPollInFlight(Duration.ofSeconds(10));

        long closedAt = System.nanoTime();
        assertThat(consumer.close().status()).isEqualTo(200);

        TimedResponse answer = poll.get(30, TimeUnit.SECONDS);
        assertThat(answer.response().status()).isIn(200, 404);
        assertThat((answer.receivedNanos() - closedAt) / 1_000_000)
                .as("ms from DELETE to the parked poll's answer (timeout_ms 20000)")
                .isLessThan(5_000);
    }
}
