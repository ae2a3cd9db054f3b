package io.takhin.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.takhin.backend.Fetch;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The consume response body (contract §1) as {@link ConsumerEndpoints#records} writes it from a
 * {@link Fetch}: every field, base64 of exactly the record's bytes whatever buffer holds them, null
 * keys and values, headers as a name to UTF-8 value map.
 */
class ConsumerEncodingTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final long NOW_MS = 1_704_537_600_500L;

    /** How a record's bytes are held; the encoder must read them in place for every kind. */
    enum Layout {
        /** A heap buffer wrapping an array that holds exactly the record's bytes plus padding. */
        HEAP,
        /** A slice of a larger array: {@code arrayOffset() > 0}, positions are relative to the slice. */
        HEAP_WITH_ARRAY_OFFSET,
        /** Off-heap: no array, copied through the encoder's scratch array. */
        DIRECT,
        /** Read-only heap: {@code hasArray()} is false, so it takes the copying path too. */
        READ_ONLY,
        /**
         * Key and value each in an array of exactly their size, at offset 0 (as the Kafka backend
         * holds them): encoded without a copy. Each view call then returns a different buffer.
         */
        EXACT
    }

    /** One stored record; {@code null} key or value means the record has none. */
    record StoredRecord(
            String topic,
            int partition,
            long offset,
            long timestampMs,
            byte @Nullable [] key,
            byte @Nullable [] value,
            List<Map.Entry<String, byte[]>> headers) {}

    /**
     * A fetch over in-memory records. Like the stores' fetches it hands out one reused view, and keeps
     * key and value in one buffer at absolute positions that are neither 0 nor the buffer's position.
     */
    static final class InMemoryFetch implements Fetch {
        private static final int PADDING = 7;

        private final List<StoredRecord> records;
        private final Layout layout;
        private final List<ByteBuffer> buffers = new ArrayList<>();
        private final List<Integer> bufferPositions = new ArrayList<>();
        private int advances;

        InMemoryFetch(Layout layout, List<StoredRecord> records) {
            this.layout = layout;
            this.records = List.copyOf(records);
        }

        InMemoryFetch(Layout layout, StoredRecord... records) {
            this(layout, List.of(records));
        }

        @Override
        public int recordCount() {
            return records.size();
        }

        @Override
        public void forEach(RecordSink sink) {
            View view = new View();
            for (StoredRecord record : records) {
                view.set(record, layout);
                for (ByteBuffer held : List.of(view.keyBuffer, view.valueBuffer)) {
                    buffers.add(held);
                    bufferPositions.add(held.position());
                }
                sink.accept(view);
            }
        }

        @Override
        public void advance() {
            advances++;
        }

        int advances() {
            return advances;
        }

        /** Whether every buffer handed out still has the position it had (the encoder must not move it). */
        boolean buffersUntouched() {
            for (int i = 0; i < buffers.size(); i++) {
                if (buffers.get(i).position() != bufferPositions.get(i)) {
                    return false;
                }
            }
            return true;
        }

        /** The reused view: one record at a time, key and value in one buffer. */
        private static final class View implements RecordView {
            private StoredRecord record = new StoredRecord("", 0, 0, 0, null, null, List.of());
            private ByteBuffer buffer = ByteBuffer.allocate(0);
            private ByteBuffer keyBuffer = ByteBuffer.allocate(0);
            private ByteBuffer valueBuffer = ByteBuffer.allocate(0);
            private int keyPosition;
            private int valuePosition;

            void set(StoredRecord next, Layout layout) {
                record = next;
                byte[] key = next.key() == null ? new byte[0] : next.key();
                byte[] value = next.value() == null ? new byte[0] : next.value();
                // [padding][key][padding][value][padding], with a recognisable filler that must never
                // show up in the output.
                byte[] content = new byte[PADDING + key.length + PADDING + value.length + PADDING];
                Arrays.fill(content, (byte) 0x5A);
                keyPosition = PADDING;
                valuePosition = PADDING + key.length + PADDING;
                System.arraycopy(key, 0, content, keyPosition, key.length);
                System.arraycopy(value, 0, content, valuePosition, value.length);
                buffer = switch (layout) {
                    case HEAP -> ByteBuffer.wrap(content);
                    case HEAP_WITH_ARRAY_OFFSET -> {
                        byte[] larger = new byte[13 + content.length + 5];
                        Arrays.fill(larger, (byte) 0x33);
                        System.arraycopy(content, 0, larger, 13, content.length);
                        ByteBuffer slice =
                                ByteBuffer.wrap(larger, 13, content.length).slice();
                        assertThat(slice.arrayOffset()).isEqualTo(13);
                        yield slice;
                    }
                    case DIRECT ->
                        ByteBuffer.allocateDirect(content.length).put(content).flip();
                    case READ_ONLY -> ByteBuffer.wrap(content).asReadOnlyBuffer();
                    case EXACT -> ByteBuffer.wrap(content); // unused for key and value, below
                };
                keyBuffer = buffer;
                valueBuffer = buffer;
                if (layout == Layout.EXACT) {
                    keyBuffer = ByteBuffer.wrap(key.clone());
                    valueBuffer = ByteBuffer.wrap(value.clone());
                    keyPosition = 0;
                    valuePosition = 0;
                }
                // A position that is neither the key's nor the value's: the encoder must use the
                // absolute positions it is given, and leave this one alone.
                buffer.position(PADDING / 2);
            }

            @Override
            public String topic() {
                return record.topic();
            }

            @Override
            public int partition() {
                return record.partition();
            }

            @Override
            public long offset() {
                return record.offset();
            }

            @Override
            public long timestampMs() {
                return record.timestampMs();
            }

            @Override
            public int keyLength() {
                return record.key() == null ? -1 : record.key().length;
            }

            @Override
            public ByteBuffer keyBuffer() {
                return keyBuffer;
            }

            @Override
            public int keyPosition() {
                return keyPosition;
            }

            @Override
            public int valueLength() {
                return record.value() == null ? -1 : record.value().length;
            }

            @Override
            public ByteBuffer valueBuffer() {
                return valueBuffer;
            }

            @Override
            public int valuePosition() {
                return valuePosition;
            }

            @Override
            public int headerCount() {
                return record.headers().size();
            }

            @Override
            public String headerKey(int index) {
                return record.headers().get(index).getKey();
            }

            @Override
            public ByteBuffer headerValue(int index) {
                byte[] value = record.headers().get(index).getValue();
                // A read-only slice that does not start at 0 of its backing storage, as stores give it.
                byte[] padded = new byte[value.length + 3];
                System.arraycopy(value, 0, padded, 3, value.length);
                return ByteBuffer.wrap(padded, 3, value.length).slice().asReadOnlyBuffer();
            }
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    private static StoredRecord record(long offset, byte @Nullable [] key, byte @Nullable [] value) {
        return new StoredRecord("orders", 0, offset, 1_704_537_600_000L + offset, key, value, List.of());
    }

    /** The bytes a consume sends for {@code fetch} at {@code nowMs}. */
    static byte[] encode(Fetch fetch, long nowMs) {
        Reply reply = ConsumerEndpoints.records(fetch, nowMs);
        return Arrays.copyOf(reply.body(), reply.length());
    }

    private static JsonNode encodeToTree(Fetch fetch) throws IOException {
        return MAPPER.readTree(encode(fetch, NOW_MS));
    }

    @Test
    void encode_repeatedHeaderName_lastValueWinsSoKeysStayUnique() throws IOException {
        StoredRecord repeated = new StoredRecord(
                "orders",
                0,
                0,
                NOW_MS,
                null,
                utf8("v"),
                List.of(Map.entry("a", utf8("1")), Map.entry("b", utf8("x")), Map.entry("a", utf8("2"))));

        byte[] body = encode(new InMemoryFetch(Layout.HEAP, repeated), NOW_MS);

        String json = new String(body, java.nio.charset.StandardCharsets.UTF_8);
        assertThat(json).contains("\"headers\":{\"a\":\"2\",\"b\":\"x\"}");
    }

    @Test
    void encode_emptyFetch_writesNoRecordsAndTheServerTime() {
        byte[] body = encode(new InMemoryFetch(Layout.HEAP), NOW_MS);

        assertThat(new String(body, StandardCharsets.UTF_8)).isEqualTo("{\"records\":[],\"timestamp\":1704537600500}");
    }

    @Test
    void encode_specExample_writesExactlyTheContractsShape() {
        var fetch = new InMemoryFetch(
                Layout.HEAP,
                new StoredRecord(
                        "orders",
                        0,
                        0,
                        1_704_537_600_000L,
                        utf8("order-1"),
                        utf8("{\"amount\":99.99}"),
                        List.of(Map.entry("source", utf8("api")))));

        byte[] body = encode(fetch, NOW_MS);

        assertThat(new String(body, StandardCharsets.UTF_8))
                .isEqualTo("{\"records\":[{\"topic\":\"orders\",\"partition\":0,\"offset\":0,"
                        + "\"timestamp\":1704537600000,\"key\":\"b3JkZXItMQ==\","
                        + "\"value\":\"eyJhbW91bnQiOjk5Ljk5fQ==\",\"headers\":{\"source\":\"api\"}}],"
                        + "\"timestamp\":1704537600500}");
    }

    @Test
    void encode_recordFields_writeTopicPartitionOffsetAndTimestamp() throws IOException {
        var fetch = new InMemoryFetch(
                Layout.HEAP,
                new StoredRecord(
                        "events.v2_eu-west", 2_147_483_647, Long.MAX_VALUE, 0L, utf8("k"), utf8("v"), List.of()));

        JsonNode record = encodeToTree(fetch).get("records").get(0);

        assertThat(record.get("topic").asText()).isEqualTo("events.v2_eu-west");
        assertThat(record.get("partition").isInt()).isTrue();
        assertThat(record.get("partition").asInt()).isEqualTo(Integer.MAX_VALUE);
        assertThat(record.get("offset").asLong()).isEqualTo(Long.MAX_VALUE);
        assertThat(record.get("timestamp").asLong()).isZero();
        assertThat(iterable(record.fieldNames()))
                .containsExactly("topic", "partition", "offset", "timestamp", "key", "value", "headers");
    }

    @Test
    void encode_nullKey_writesJsonNull() throws IOException {
        JsonNode record = encodeToTree(new InMemoryFetch(Layout.HEAP, record(0, null, utf8("v"))))
                .get("records")
                .get(0);

        assertThat(record.has("key")).isTrue();
        assertThat(record.get("key").isNull()).isTrue();
        assertThat(record.get("value").asText()).isEqualTo(base64(utf8("v")));
    }

    @Test
    void encode_nullValue_writesJsonNull() throws IOException {
        JsonNode record = encodeToTree(new InMemoryFetch(Layout.HEAP, record(0, utf8("k"), null)))
                .get("records")
                .get(0);

        assertThat(record.get("value").isNull()).isTrue();
        assertThat(record.get("key").asText()).isEqualTo(base64(utf8("k")));
    }

    @Test
    void encode_emptyKeyAndValue_writeEmptyStringsNotNull() throws IOException {
        JsonNode record = encodeToTree(new InMemoryFetch(Layout.HEAP, record(0, new byte[0], new byte[0])))
                .get("records")
                .get(0);

        assertThat(record.get("key").isTextual()).isTrue();
        assertThat(record.get("key").asText()).isEmpty();
        assertThat(record.get("value").asText()).isEmpty();
    }

    @Test
    void encode_noHeaders_writesEmptyObject() throws IOException {
        JsonNode record = encodeToTree(new InMemoryFetch(Layout.HEAP, record(0, utf8("k"), utf8("v"))))
                .get("records")
                .get(0);

        assertThat(record.get("headers").isObject()).isTrue();
        assertThat(record.get("headers").size()).isZero();
    }

    @Test
    void encode_headers_mapEachNameToItsUtf8Value() throws IOException {
        var fetch = new InMemoryFetch(
                Layout.DIRECT,
                new StoredRecord(
                        "orders",
                        1,
                        5,
                        7,
                        null,
                        utf8("v"),
                        List.of(
                                Map.entry("source", utf8("api")),
                                Map.entry("city", utf8("zürich ✓")),
                                Map.entry("empty", new byte[0]),
                                Map.entry("quote\"d", utf8("line\nbreak")))));

        JsonNode headers = encodeToTree(fetch).get("records").get(0).get("headers");

        Map<String, String> decoded = new LinkedHashMap<>();
        headers.properties().forEach(e -> decoded.put(e.getKey(), e.getValue().asText()));
        assertThat(decoded)
                .containsExactly(
                        Map.entry("source", "api"),
                        Map.entry("city", "zürich ✓"),
                        Map.entry("empty", ""),
                        Map.entry("quote\"d", "line\nbreak"));
    }

    @Test
    void encode_headerValueNotUtf8_writesReplacementCharacter() throws IOException {
        var fetch = new InMemoryFetch(
                Layout.HEAP, new StoredRecord("orders", 0, 0, 0, null, null, List.of(Map.entry("bin", new byte[] {
                    'a', (byte) 0xFF, 'b'
                }))));

        JsonNode headers = encodeToTree(fetch).get("records").get(0).get("headers");

        assertThat(headers.get("bin").asText()).isEqualTo("a\uFFFDb");
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void encode_anyBufferLayout_encodesExactlyTheRecordsBytes(Layout layout) throws IOException {
        byte[] every = new byte[256];
        for (int i = 0; i < every.length; i++) {
            every[i] = (byte) i;
        }
        var fetch = new InMemoryFetch(
                layout,
                record(0, utf8("order-1"), utf8("{\"amount\":99.99}")),
                record(1, null, every),
                record(2, every, null),
                record(3, new byte[] {0x5A}, new byte[0]));

        JsonNode records = encodeToTree(fetch).get("records");

        assertThat(records).hasSize(4);
        assertThat(records.get(0).get("key").asText()).isEqualTo("b3JkZXItMQ==");
        assertThat(records.get(0).get("value").asText()).isEqualTo("eyJhbW91bnQiOjk5Ljk5fQ==");
        assertThat(records.get(1).get("key").isNull()).isTrue();
        assertThat(records.get(1).get("value").asText()).isEqualTo(base64(every));
        assertThat(records.get(2).get("key").asText()).isEqualTo(base64(every));
        assertThat(records.get(2).get("value").isNull()).isTrue();
        assertThat(records.get(3).get("key").asText()).isEqualTo("Wg==");
        assertThat(records.get(3).get("value").asText()).isEmpty();
        assertThat(fetch.buffersUntouched()).as("buffer positions unchanged").isTrue();
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void encode_recordsShrinkingAndGrowing_neverLeakBytesOfAnEarlierRecord(Layout layout) throws IOException {
        // The copying path reuses one scratch array: a short record after a long one must not carry
        // the long one's tail, and a long one after a short one must grow the array.
        Random random = new Random(42);
        int[] sizes = {10, 3000, 5, 70_000, 1, 0, 200_000, 17};
        List<StoredRecord> stored = new ArrayList<>();
        for (int i = 0; i < sizes.length; i++) {
            byte[] key = new byte[sizes[(i + 3) % sizes.length]];
            byte[] value = new byte[sizes[i]];
            random.nextBytes(key);
            random.nextBytes(value);
            stored.add(record(i, key, value));
        }

        JsonNode records = encodeToTree(new InMemoryFetch(layout, stored)).get("records");

        assertThat(records).hasSize(stored.size());
        for (int i = 0; i < stored.size(); i++) {
            assertThat(records.get(i).get("key").asText())
                    .as("key %d", i)
                    .isEqualTo(base64(stored.get(i).key()));
            assertThat(records.get(i).get("value").asText())
                    .as("value %d", i)
                    .isEqualTo(base64(stored.get(i).value()));
        }
    }

    /**
     * Thousands of random records against a plain reference encoding (Jackson's tree): every number
     * width and sign, timestamps repeated and not (the encoder copies a repeated one), topics and
     * partitions changing (it caches their prefix), every key and value length mod 3, nulls, headers.
     */
    @ParameterizedTest
    @EnumSource(Layout.class)
    void encode_randomRecords_equalAReferenceEncoding(Layout layout) throws IOException {
        Random random = new Random(1234 + layout.ordinal());
        String[] topics = {"orders", "t", "we\"ird/\\näme\u0001"};
        long[] interesting = {
            0,
            1,
            9,
            10,
            99,
            100,
            999_999,
            1_000_000,
            Integer.MAX_VALUE,
            Long.MAX_VALUE - 1,
            Long.MAX_VALUE,
            1_763_910_000_000L
        };
        long[] timestamps = {-1, 0, 9, 10, Long.MIN_VALUE, Long.MIN_VALUE + 1, Long.MAX_VALUE, 1_763_910_000_000L};
        List<StoredRecord> stored = new ArrayList<>();
        long timestamp = 1_763_910_000_000L;
        for (int i = 0; i < 3000; i++) {
            String topic = topics[random.nextInt(5) == 0 ? random.nextInt(topics.length) : 0];
            int partition = random.nextInt(4) == 0 ? random.nextInt(Integer.MAX_VALUE) : random.nextInt(3);
            long offset =
                    random.nextBoolean() ? interesting[random.nextInt(interesting.length)] : random.nextLong(1L << 40);
            if (random.nextInt(3) == 0) {
                timestamp = random.nextBoolean() ? timestamps[random.nextInt(timestamps.length)] : random.nextLong();
            }
            byte[] key = random.nextInt(4) == 0 ? null : randomBytes(random, random.nextInt(20));
            byte[] value = random.nextInt(10) == 0 ? null : randomBytes(random, random.nextInt(300));
            List<Map.Entry<String, byte[]>> headers = random.nextInt(8) == 0
                    ? List.of(Map.entry("h" + random.nextInt(3), randomBytes(random, 5)), Map.entry("n\"", utf8("v\n")))
                    : List.of();
            stored.add(new StoredRecord(topic, partition, offset, timestamp, key, value, headers));
        }

        JsonNode encoded = encodeToTree(new InMemoryFetch(layout, stored));

        assertThat(encoded).isEqualTo(reference(stored));
    }

    private static byte[] randomBytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    /** The contract's body built field by field with Jackson, the way a reader would expect it. */
    private static JsonNode reference(List<StoredRecord> stored) throws IOException {
        var body = MAPPER.createObjectNode();
        var records = body.putArray("records");
        for (StoredRecord record : stored) {
            var node = records.addObject();
            node.put("topic", record.topic());
            node.put("partition", record.partition());
            node.put("offset", record.offset());
            node.put("timestamp", record.timestampMs());
            node.put("key", record.key() == null ? null : base64(record.key()));
            node.put("value", record.value() == null ? null : base64(record.value()));
            var headers = node.putObject("headers");
            record.headers()
                    .forEach(h -> headers.put(
                            h.getKey(),
                            StandardCharsets.UTF_8
                                    .decode(ByteBuffer.wrap(h.getValue()))
                                    .toString()));
        }
        body.put("timestamp", NOW_MS);
        return MAPPER.readTree(MAPPER.writeValueAsBytes(body)); // numbers typed as a parser types them
    }

    @Test
    void encode_longValue_isStandardBase64WithoutLineBreaks() {
        byte[] value = new byte[1000];
        new Random(7).nextBytes(value);

        String body = new String(
                encode(new InMemoryFetch(Layout.HEAP, record(0, null, value)), NOW_MS), StandardCharsets.UTF_8);

        assertThat(body).contains("\"value\":\"" + base64(value) + "\"").doesNotContain("\\n", "\\r");
    }

    @Test
    void encode_manyRecords_keepsFetchOrder() throws IOException {
        List<StoredRecord> stored = List.of(
                new StoredRecord("orders", 1, 10, 100, null, utf8("a"), List.of()),
                new StoredRecord("orders", 1, 11, 101, null, utf8("b"), List.of()),
                new StoredRecord("events", 0, 3, 99, null, utf8("c"), List.of()),
                new StoredRecord("orders", 0, 0, 50, null, utf8("d"), List.of()));

        JsonNode records = encodeToTree(new InMemoryFetch(Layout.HEAP_WITH_ARRAY_OFFSET, stored))
                .get("records");

        List<String> seen = new ArrayList<>();
        records.forEach(r -> seen.add(r.get("topic").asText() + "-"
                + r.get("partition").asInt() + "@" + r.get("offset").asLong() + "="
                + new String(Base64.getDecoder().decode(r.get("value").asText()))));
        assertThat(seen).containsExactly("orders-1@10=a", "orders-1@11=b", "events-0@3=c", "orders-0@0=d");
    }

    @Test
    void encode_doesNotAdvanceThePosition() {
        // The position moves only once the response was written (H5), which encode knows nothing of.
        var fetch = new InMemoryFetch(Layout.HEAP, record(0, utf8("k"), utf8("v")));

        encode(fetch, NOW_MS);

        assertThat(fetch.advances()).isZero();
    }

    @Test
    void encode_serverTime_isTheGivenClock() throws IOException {
        JsonNode body = MAPPER.readTree(encode(new InMemoryFetch(Layout.HEAP, record(0, null, utf8("v"))), 42L));

        assertThat(body.get("timestamp").asLong()).isEqualTo(42L);
        assertThat(body.get("records").get(0).get("timestamp").asLong()).isEqualTo(1_704_537_600_000L);
    }

    private static <T> Iterable<T> iterable(java.util.Iterator<T> iterator) {
        return () -> iterator;
    }
}
