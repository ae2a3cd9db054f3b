package io.takhin.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * A small domain client for the consumer API (contract §1, §4) and the topic and produce calls the
 * consumer tests need, on top of {@link HttpApi}. Thread-safe: it holds no state beyond the HTTP
 * client; a {@link Consumer} is just an id.
 */
final class ConsumerClient {
    private final HttpApi api;

    ConsumerClient(HttpApi api) {
        this.api = api;
    }

    /**
     * A client with its own HTTP connection pool, like a separate client process. Used strictly
     * sequentially it keeps one keep-alive connection, so each request reaches the server only after
     * the previous exchange is complete there.
     */
    static ConsumerClient connect(TakhinServerExtension server) {
        return new ConsumerClient(new HttpApi(server.api().baseUrl()));
    }

    HttpApi api() {
        return api;
    }

    // ---- topics and produce ------------------------------------------------------------------

    void createTopic(String name, int partitions) {
        HttpApi.Response response =
                api.post("/api/topics", HttpApi.json(Map.of("name", name, "partitions", partitions)));
        assertThat(response.status())
                .as("create topic %s: %s", name, response.body())
                .isEqualTo(201);
    }

    void deleteTopic(String name) {
        HttpApi.Response response = api.delete("/api/topics/" + name);
        assertThat(response.status())
                .as("delete topic %s: %s", name, response.body())
                .isEqualTo(200);
    }

    /** The high watermark of every partition of the topic, by partition. */
    Map<Integer, Long> highWatermarks(String topic) {
        HttpApi.Response response = api.get("/api/topics/" + topic);
        assertThat(response.status())
                .as("describe topic %s: %s", topic, response.body())
                .isEqualTo(200);
        Map<Integer, Long> result = new TreeMap<>();
        for (JsonNode partition : response.json().path("partitions")) {
            result.put(
                    partition.path("id").asInt(),
                    partition.path("high_water_mark").asLong());
        }
        return result;
    }

    /** A produced record's place in the log, as the produce response says. */
    record Produced(int partition, long offset, long timestampMs) {}

    /** Produces string values (stored as their UTF-8 bytes, no key) to one partition. */
    List<Produced> produce(String topic, int partition, String... values) {
        List<Map<String, Object>> records = new ArrayList<>();
        for (String value : values) {
            records.add(Map.of("value", value, "partition", partition));
        }
        return produceRecords(topic, "?value.format=string", records);
    }

    /** Produces {@code count} string values {@code prefix-i} to one partition in one request. */
    List<Produced> produceNumbered(String topic, int partition, String prefix, int count) {
        String[] values = new String[count];
        for (int i = 0; i < count; i++) {
            values[i] = prefix + "-" + i;
        }
        return produce(topic, partition, values);
    }

    /** Produces any records (a list of produce-request record objects) with the given query string. */
    List<Produced> produceRecords(String topic, String query, List<Map<String, Object>> records) {
        HttpApi.Response response =
                api.post("/api/topics/" + topic + "/produce" + query, HttpApi.json(Map.of("records", records)));
        assertThat(response.status())
                .as("produce to %s: %s", topic, response.body())
                .isEqualTo(200);
        List<Produced> result = new ArrayList<>();
        for (JsonNode offset : response.json().path("offsets")) {
            result.add(new Produced(
                    offset.path("partition").asInt(),
                    offset.path("offset").asLong(),
                    offset.path("timestamp").asLong()));
        }
        return result;
    }

    // ---- consumers -----------------------------------------------------------------------------

    HttpApi.Response subscribeRaw(String jsonBody) {
        return api.post("/api/consumers/subscribe", jsonBody);
    }

    /** Subscribes with {@code auto_offset_reset} and the default session timeout; asserts 200. */
    Consumer subscribe(String groupId, String autoOffsetReset, String... topics) {
        return subscribe(Map.of("group_id", groupId, "topics", List.of(topics), "auto_offset_reset", autoOffsetReset));
    }

    /** Subscribes with an explicit session timeout; asserts 200. */
    Consumer subscribe(String groupId, String autoOffsetReset, long sessionTimeoutMs, String... topics) {
        return subscribe(Map.of(
                "group_id",
                groupId,
                "topics",
                List.of(topics),
                "auto_offset_reset",
                autoOffsetReset,
                "session_timeout_ms",
                sessionTimeoutMs));
    }

    Consumer subscribe(Map<String, Object> body) {
        HttpApi.Response response = subscribeRaw(HttpApi.json(body));
        assertThat(response.status())
                .as("subscribe %s: %s", body, response.body())
                .isEqualTo(200);
        return new Consumer(response.json().path("consumer_id").asText(), response.json());
    }

    /** A consumer id handed out by subscribe. {@code subscribed} is the subscribe response. */
    final class Consumer {
        private final String id;
        private final JsonNode subscribed;

        Consumer(String id, JsonNode subscribed) {
            this.id = id;
            this.subscribed = subscribed;
        }

        String id() {
            return id;
        }

        JsonNode subscribed() {
            return subscribed;
        }

        private String path(String suffix) {
            return "/api/consumers/" + id + suffix;
        }

        HttpApi.Response consumeRaw(String jsonBody) {
            return api.post(path("/consume"), jsonBody);
        }

        /**
         * A consume that asks again while refused with 409 poll_in_progress. A sequential client
         * can be refused so for a moment after its previous response arrived, when the next request
         * goes over another pooled connection: a server bug pinned by
         * ConsumerSessionIT#consume_strictlySequentialRequestsOverTwoConnections_neverAnswer409. So
         * that other tests fail only for their own reason, sequential consumes go through here.
         */
        HttpApi.Response consumeSequentially(String jsonBody) {
            HttpApi.Response response = consumeRaw(jsonBody);
            for (int retry = 0; retry < 100 && response.status() == 409; retry++) {
                assertThat(response.code()).isEqualTo("poll_in_progress");
                response = consumeRaw(jsonBody);
            }
            return response;
        }

        /** One consume (see {@link #consumeSequentially}); asserts 200 and returns the records. */
        List<Rec> consume(int maxRecords, long timeoutMs) {
            HttpApi.Response response =
                    consumeSequentially(HttpApi.json(Map.of("max_records", maxRecords, "timeout_ms", timeoutMs)));
            assertThat(response.status()).as("consume: %s", response.body()).isEqualTo(200);
            return Rec.all(response.json());
        }

        /** Consumes until at least {@code count} records arrived in total; fails after {@code limit}. */
        List<Rec> consumeAtLeast(int count, Duration limit) {
            List<Rec> records = new ArrayList<>();
            long deadline = System.nanoTime() + limit.toNanos();
            while (records.size() < count) {
                assertThat(System.nanoTime() < deadline)
                        .as("only %d of %d records within %s: %s", records.size(), count, limit, records)
                        .isTrue();
                records.addAll(consume(10_000, 500));
            }
            return records;
        }

        /**
         * Starts a consume on another thread (for long polls). It is meant to run while {@link
         * #awaitPollInFlight} probes, so it tries again when a probe holds the consumer's one poll
         * (409 poll_in_progress): that only happens before this poll was ever admitted.
         */
        CompletableFuture<TimedResponse> consumeAsync(String jsonBody) {
            CompletableFuture<TimedResponse> result = new CompletableFuture<>();
            Thread.ofVirtual().name("consume-" + id).start(() -> {
                try {
                    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                    // Its own connection, so the caller's connection stays the only one it uses.
                    HttpApi own = new HttpApi(api.baseUrl());
                    while (true) {
                        long start = System.nanoTime();
                        HttpApi.Response response = own.post(path("/consume"), jsonBody);
                        if (response.status() != 409 || System.nanoTime() > deadline) {
                            result.complete(new TimedResponse(response, start, System.nanoTime()));
                            return;
                        }
                    }
                } catch (Throwable e) {
                    result.completeExceptionally(e);
                }
            });
            return result;
        }

        /**
         * Waits until a consume of this consumer is in flight on the server: a probing consume with
         * timeout_ms 0 then answers 409 poll_in_progress (the server allows one poll at a time). The
         * probes go one after the other over ONE raw keep-alive connection, so the server has
         * finished each probe (its poll ended) before it reads the next one: a 409 can only come from
         * another request's poll. The probe itself never waits, and this consumer has no records
         * ready when it is used, so a probe that wins the race only answers an empty list. Bounded by
         * {@code limit}.
         */
        void awaitPollInFlight(Duration limit) {
            long deadline = System.nanoTime() + limit.toNanos();
            try (RawHttp probes = RawHttp.connect(api.baseUrl())) {
                while (true) {
                    RawHttp.Response probe = probes.request("POST", path("/consume"), "{\"timeout_ms\":0}");
                    if (probe.status() == 409) {
                        assertThat(probe.body()).contains("poll_in_progress");
                        return;
                    }
                    assertThat(probe.status()).as("probe: %s", probe.body()).isEqualTo(200);
                    assertThat(probe.body())
                            .as("the probe must not take records")
                            .startsWith("{\"records\":[]");
                    assertThat(System.nanoTime() < deadline)
                            .as("no consume in flight within %s", limit)
                            .isTrue();
                }
            }
        }

        HttpApi.Response commitRaw(String jsonBody) {
            return api.post(path("/commit"), jsonBody);
        }

        /** Commits explicit offsets of one topic ({partition: next offset}); asserts 200. */
        void commit(String topic, Map<Integer, Long> offsets) {
            HttpApi.Response response = commitRaw(commitBody(topic, offsets));
            assertThat(response.status())
                    .as("commit %s: %s", offsets, response.body())
                    .isEqualTo(200);
            assertThat(response.json().path("success").asBoolean()).isTrue();
        }

        HttpApi.Response seekRaw(String jsonBody) {
            return api.post(path("/seek"), jsonBody);
        }

        void seek(String topic, int partition, String targetField, Object target) {
            HttpApi.Response response =
                    seekRaw(HttpApi.json(Map.of("topic", topic, "partition", partition, targetField, target)));
            assertThat(response.status()).as("seek: %s", response.body()).isEqualTo(200);
            assertThat(response.json().path("success").asBoolean()).isTrue();
            assertThat(response.json().path("message").asText()).isEqualTo("offset updated");
        }

        HttpApi.Response assignmentRaw() {
            return api.get(path("/assignment"));
        }

        /** GET assignment; asserts 200. */
        JsonNode assignment() {
            HttpApi.Response response = assignmentRaw();
            assertThat(response.status()).as("assignment: %s", response.body()).isEqualTo(200);
            return response.json();
        }

        /** The partitions of {@code topic} this consumer owns now (GET assignment). */
        Set<Integer> partitions(String topic) {
            return partitionsOf(assignment(), topic);
        }

        HttpApi.Response assignRaw(String jsonBody) {
            return api.put(path("/assignment"), jsonBody);
        }

        HttpApi.Response positionRaw() {
            return api.get(path("/position"));
        }

        /** GET position of one topic: partition to next offset; asserts 200. */
        Map<Integer, Long> positions(String topic) {
            HttpApi.Response response = positionRaw();
            assertThat(response.status()).as("position: %s", response.body()).isEqualTo(200);
            Map<Integer, Long> result = new TreeMap<>();
            for (Map.Entry<String, JsonNode> field :
                    response.json().path("offsets").path(topic).properties()) {
                result.put(Integer.parseInt(field.getKey()), field.getValue().asLong());
            }
            return result;
        }

        HttpApi.Response close() {
            return api.delete(path(""));
        }
    }

    /** A response and when its request was sent and answered (System.nanoTime). */
    record TimedResponse(HttpApi.Response response, long sentNanos, long receivedNanos) {
        long elapsedMs() {
            return (receivedNanos - sentNanos) / 1_000_000;
        }
    }

    /** {"offsets": {topic: {"p": offset}}}. */
    static String commitBody(String topic, Map<Integer, Long> offsets) {
        Map<String, Long> byPartition = new LinkedHashMap<>();
        offsets.forEach((partition, offset) -> byPartition.put(Integer.toString(partition), offset));
        return HttpApi.json(Map.of("offsets", Map.of(topic, byPartition)));
    }

    /** The partitions of {@code topic} in an assignment-shaped body ({"assignment": {"t": [0, 1]}}). */
    static Set<Integer> partitionsOf(JsonNode body, String topic) {
        Set<Integer> partitions = new TreeSet<>();
        for (JsonNode partition : body.path("assignment").path(topic)) {
            partitions.add(partition.asInt());
        }
        return partitions;
    }

    /** The field names of a JSON object, in order. */
    static Set<String> fieldNames(JsonNode object) {
        Set<String> names = new LinkedHashSet<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** Fails unless {@code condition} holds within {@code limit}; {@code pace} runs between checks. */
    static void await(String what, Duration limit, BooleanSupplier condition, Runnable pace) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() < deadline)
                    .as("%s within %s", what, limit)
                    .isTrue();
            pace.run();
        }
    }

    /** A record of a consume response, decoded. */
    record Rec(
            String topic,
            int partition,
            long offset,
            long timestampMs,
            byte @Nullable [] key,
            byte @Nullable [] value,
            Map<String, String> headers) {

        static List<Rec> all(JsonNode consumeResponse) {
            List<Rec> records = new ArrayList<>();
            for (JsonNode record : consumeResponse.path("records")) {
                records.add(of(record));
            }
            return records;
        }

        static Rec of(JsonNode record) {
            Map<String, String> headers = new LinkedHashMap<>();
            record.path("headers")
                    .properties()
                    .forEach(e -> headers.put(e.getKey(), e.getValue().asText()));
            return new Rec(
                    record.path("topic").asText(),
                    record.path("partition").asInt(),
                    record.path("offset").asLong(),
                    record.path("timestamp").asLong(),
                    decode(record.get("key")),
                    decode(record.get("value")),
                    headers);
        }

        private static byte @Nullable [] decode(@Nullable JsonNode field) {
            if (field == null || field.isNull()) {
                return null;
            }
            return Base64.getDecoder().decode(field.asText());
        }

        String valueText() {
            return value == null ? "<null>" : new String(value, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return topic + "-" + partition + "@" + offset + "=" + valueText();
        }
    }

    /**
     * A minimal HTTP/1.1 client over one plain socket, for what {@code java.net.http} hides: which
     * connection a request uses, and closing it mid-request. Not thread-safe; one test owns it.
     */
    static final class RawHttp implements AutoCloseable {
        /** A response: status and body (the server always sends Content-Length). */
        record Response(int status, String body) {
            JsonNode json() {
                try {
                    return HttpApi.JSON.readTree(body);
                } catch (IOException e) {
                    throw new AssertionError("response body is not JSON: " + body, e);
                }
            }
        }

        private final Socket socket;
        private final String host;
        private final InputStream in;
        private final OutputStream out;

        private RawHttp(Socket socket, String host) throws IOException {
            this.socket = socket;
            this.host = host;
            this.in = new BufferedInputStream(socket.getInputStream());
            this.out = socket.getOutputStream();
        }

        /** Connects to {@code http://host:port}. */
        static RawHttp connect(String baseUrl) {
            URI uri = URI.create(baseUrl);
            try {
                Socket socket = new Socket(uri.getHost(), uri.getPort());
                socket.setSoTimeout(60_000);
                socket.setTcpNoDelay(true);
                return new RawHttp(socket, uri.getHost() + ":" + uri.getPort());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        Socket socket() {
            return socket;
        }

        /** Sends a request without reading the answer. */
        void send(String method, String path, String jsonBody) {
            byte[] body = jsonBody.getBytes(StandardCharsets.UTF_8);
            String head = method + " " + path + " HTTP/1.1\r\nHost: " + host
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n";
            try {
                out.write(head.getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Sends a request and reads its response on the same connection. */
        Response request(String method, String path, String jsonBody) {
            send(method, path, jsonBody);
            return readResponse();
        }

        /** True if response bytes have arrived and can be read without blocking. */
        boolean responseArrived() {
            try {
                return in.available() > 0;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Reads the next response on this connection, blocking until it arrives. */
        Response readResponse() {
            try {
                String statusLine = readLine();
                int status = Integer.parseInt(statusLine.split(" ")[1]);
                int length = 0;
                for (String line = readLine(); !line.isEmpty(); line = readLine()) {
                    int colon = line.indexOf(':');
                    if (line.substring(0, colon).trim().equalsIgnoreCase("Content-Length")) {
                        length = Integer.parseInt(line.substring(colon + 1).trim());
                    }
                }
                return new Response(status, new String(in.readNBytes(length), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private String readLine() throws IOException {
            StringBuilder line = new StringBuilder();
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    throw new IOException("connection closed by the server after: " + line);
                }
                if (b != '\r') {
                    line.append((char) b);
                }
            }
            return line.toString();
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
