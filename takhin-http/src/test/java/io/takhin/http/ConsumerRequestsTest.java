package io.takhin.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.takhin.backend.SeekTarget;
import io.takhin.backend.SubscribeRequest.OffsetReset;
import io.takhin.common.ErrorCode;
import io.takhin.common.TakhinException;
import io.takhin.common.TopicPartition;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.assertj.core.api.AbstractThrowableAssert;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The consumer API's request bodies (contract §1): every field, its default and its range, and that
 * every rejection is a 400 whose sentence names the field.
 */
class ConsumerRequestsTest {
    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static ConsumerRequests.Subscribe subscribe(String body) {
        return ConsumerRequests.Subscribe.parse(utf8(body));
    }

    private static ConsumerRequests.Consume consume(String body) {
        return ConsumerRequests.Consume.parse(utf8(body));
    }

    private static ConsumerRequests.Commit commit(String body) {
        return ConsumerRequests.Commit.parse(utf8(body));
    }

    private static ConsumerRequests.Seek seek(String body) {
        return ConsumerRequests.Seek.parse(utf8(body));
    }

    private static ConsumerRequests.Assign assign(String body) {
        return ConsumerRequests.Assign.parse(utf8(body));
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertRejected(
            ThrowingCallable parse, ErrorCode code) {
        return assertThatThrownBy(parse)
                .isInstanceOfSatisfying(
                        TakhinException.class, e -> assertThat(e.code()).isEqualTo(code));
    }

    /** A 400 {@code invalid_argument} whose sentence names {@code field}. */
    private static AbstractThrowableAssert<?, ? extends Throwable> assertInvalid(ThrowingCallable parse, String field) {
        return assertRejected(parse, ErrorCode.INVALID_ARGUMENT).hasMessageContaining(field);
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertMalformed(ThrowingCallable parse) {
        return assertRejected(parse, ErrorCode.MALFORMED_REQUEST);
    }

    private static String topicNames(int count) {
        return IntStream.range(0, count).mapToObj(i -> "\"t" + i + "\"").collect(Collectors.joining(","));
    }

    // --- Subscribe ---

    @Test
    void subscribe_everyField_parsed() {
        var request = subscribe("{\"group_id\": \"g\", \"topics\": [\"orders\", \"events\"],"
                + " \"auto_offset_reset\": \"earliest\", \"session_timeout_ms\": 45000}");

        assertThat(request.groupId()).isEqualTo("g");
        assertThat(request.topics()).containsExactly("orders", "events");
        assertThat(request.autoOffsetReset()).isEqualTo(OffsetReset.EARLIEST);
        assertThat(request.sessionTimeout()).isEqualTo(Duration.ofMillis(45_000));
    }

    @Test
    void subscribe_onlyRequiredFields_defaultsToLatestAnd30Seconds() {
        var request = subscribe("{\"topics\": [\"orders\"], \"group_id\": \"g\"}");

        assertThat(request.autoOffsetReset()).isEqualTo(OffsetReset.LATEST);
        assertThat(request.sessionTimeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void subscribe_autoOffsetResetLatest_parsed() {
        assertThat(subscribe("{\"group_id\": \"g\", \"topics\": [\"t\"], \"auto_offset_reset\": \"latest\"}")
                        .autoOffsetReset())
                .isEqualTo(OffsetReset.LATEST);
    }

    @Test
    void subscribe_duplicateTopics_keptOnceInRequestOrder() {
        var request = subscribe("{\"group_id\": \"g\", \"topics\": [\"b\", \"a\", \"b\", \"c\", \"a\"]}");

        assertThat(request.topics()).containsExactly("b", "a", "c");
    }

    @ParameterizedTest
    @ValueSource(longs = {1000, 1001, 30_000, 299_999, 300_000})
    void subscribe_sessionTimeoutInsideRange_accepted(long timeoutMs) {
        var request =
                subscribe("{\"group_id\": \"g\", \"topics\": [\"t\"], \"session_timeout_ms\": " + timeoutMs + "}");

        assertThat(request.sessionTimeout()).isEqualTo(Duration.ofMillis(timeoutMs));
    }

    @ParameterizedTest
    @ValueSource(strings = {"999", "300001", "0", "-1", "9223372036854775807", "99999999999999999999"})
    void subscribe_sessionTimeoutOutsideRange_rejectedNamingFieldAndRange(String timeoutMs) {
        assertInvalid(
                        () -> subscribe("{\"group_id\": \"g\", \"topics\": [\"t\"], \"session_timeout_ms\": "
                                + timeoutMs + "}"),
                        "session_timeout_ms")
                .hasMessageContaining("1000")
                .hasMessageContaining("300000");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"30000\"", "30000.0", "3e4", "null", "true", "[30000]"})
    void subscribe_sessionTimeoutNotAnInteger_rejectedNamingField(String value) {
        assertInvalid(
                        () -> subscribe(
                                "{\"group_id\": \"g\", \"topics\": [\"t\"], \"session_timeout_ms\": " + value + "}"),
                        "session_timeout_ms")
                .hasMessageContaining("must be an integer");
    }

    @Test
    void subscribe_missingGroupId_rejectedNamingField() {
        assertInvalid(() -> subscribe("{\"topics\": [\"t\"]}"), "group_id").hasMessageContaining("required");
    }

    @Test
    void subscribe_emptyGroupId_rejectedNamingField() {
        assertInvalid(() -> subscribe("{\"group_id\": \"\", \"topics\": [\"t\"]}"), "group_id")
                .hasMessageContaining("1..255");
    }

    @Test
    void subscribe_groupIdAtLengthLimit_accepted() {
        String groupId = "g".repeat(ConsumerRequests.MAX_GROUP_ID_LENGTH);

        assertThat(subscribe("{\"group_id\": \"" + groupId + "\", \"topics\": [\"t\"]}")
                        .groupId())
                .isEqualTo(groupId);
    }

    @Test
    void subscribe_groupIdAboveLengthLimit_rejectedNamingField() {
        String groupId = "g".repeat(ConsumerRequests.MAX_GROUP_ID_LENGTH + 1);

        assertInvalid(() -> subscribe("{\"group_id\": \"" + groupId + "\", \"topics\": [\"t\"]}"), "group_id")
                .hasMessageContaining("256");
    }

    @Test
    void subscribe_groupIdWithSpacesAndNonAscii_accepted() {
        // Group ids are not topic names: spaces, punctuation and non-ASCII are fine.
        assertThat(subscribe("{\"group_id\": \"billing: eu west é?#\", \"topics\": [\"t\"]}")
                        .groupId())
                .isEqualTo("billing: eu west é?#");
    }

    @ParameterizedTest
    @ValueSource(strings = {"billing/eu", "50%off", "tab\\there"})
    void subscribe_groupIdNotAddressableInAPath_rejectedNamingField(String groupId) {
        // '/' and '%' cannot appear in /api/consumer-groups/{group} (Jetty refuses %2F and %25).
        assertInvalid(() -> subscribe("{\"group_id\": \"" + groupId + "\", \"topics\": [\"t\"]}"), "group_id");
    }

    @ParameterizedTest
    @ValueSource(strings = {"42", "null", "[\"g\"]", "{}", "true"})
    void subscribe_groupIdNotAString_rejectedNamingField(String value) {
        assertInvalid(() -> subscribe("{\"group_id\": " + value + ", \"topics\": [\"t\"]}"), "group_id")
                .hasMessageContaining("must be a JSON string");
    }

    @Test
    void subscribe_missingTopics_rejectedNamingField() {
        assertInvalid(() -> subscribe("{\"group_id\": \"g\"}"), "topics").hasMessageContaining("required");
    }

    @Test
    void subscribe_emptyTopics_rejectedNamingField() {
        assertInvalid(() -> subscribe("{\"group_id\": \"g\", \"topics\": []}"), "topics")
                .hasMessageContaining("at least one");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"orders\"", "{\"orders\": 1}", "null", "3"})
    void subscribe_topicsNotAnArray_rejectedNamingField(String value) {
        assertInvalid(() -> subscribe("{\"group_id\": \"g\", \"topics\": " + value + "}"), "topics")
                .hasMessageContaining("must be an array");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "null", "[\"t\"]", "{}"})
    void subscribe_topicNotAString_rejectedNamingElement(String value) {
        assertInvalid(() -> subscribe("{\"group_id\": \"g\", \"topics\": [\"ok\", " + value + "]}"), "topics[]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "a b", "orders/1", "tópico", "t*"})
    void subscribe_badTopicName_rejectedNamingTopicRule(String topic) {
        assertInvalid(() -> subscribe("{\"group_id\": \"g\", \"topics\": [\"" + topic + "\"]}"), "topic name");
    }

    @Test
    void subscribe_topicNameAtLengthLimit_accepted() {
        String topic = "t".repeat(249);

        assertThat(subscribe("{\"group_id\": \"g\", \"topics\": [\"" + topic + "\"]}")
                        .topics())
                .containsExactly(topic);
    }

    @Test
    void subscribe_topicNameAboveLengthLimit_rejected() {
        assertInvalid(() -> subscribe("{\"group_id\": \"g\", \"topics\": [\"" + "t".repeat(250) + "\"]}"), "topic name")
                .hasMessageContaining("249");
    }

    @Test
    void subscribe_topicCountAtLimit_accepted() {
        var request = subscribe("{\"group_id\": \"g\", \"topics\": [" + topicNames(ConsumerRequests.MAX_TOPICS) + "]}");

        assertThat(request.topics()).hasSize(ConsumerRequests.MAX_TOPICS);
    }

    @Test
    void subscribe_topicCountAboveLimit_rejectedNamingField() {
        assertInvalid(
                        () -> subscribe("{\"group_id\": \"g\", \"topics\": ["
                                + topicNames(ConsumerRequests.MAX_TOPICS + 1) + "]}"),
                        "topics")
                .hasMessageContaining("1000");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"EARLIEST\"", "\"none\"", "\"\"", "\"smallest\""})
    void subscribe_unknownAutoOffsetReset_rejectedNamingFieldAndChoices(String value) {
        assertInvalid(
                        () -> subscribe(
                                "{\"group_id\": \"g\", \"topics\": [\"t\"], \"auto_offset_reset\": " + value + "}"),
                        "auto_offset_reset")
                .hasMessageContaining("'earliest' or 'latest'");
    }

    @Test
    void subscribe_autoOffsetResetNotAString_rejectedNamingField() {
        assertInvalid(
                () -> subscribe("{\"group_id\": \"g\", \"topics\": [\"t\"], \"auto_offset_reset\": null}"),
                "auto_offset_reset");
    }

    @Test
    void subscribe_unknownField_rejectedNamingItAndTheAllowedFields() {
        assertInvalid(() -> subscribe("{\"group_id\": \"g\", \"topics\": [\"t\"], \"groupId\": \"g\"}"), "'groupId'")
                .hasMessageContaining("group_id, topics, auto_offset_reset, session_timeout_ms");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   \n", "[]", "\"g\"", "null", "{", "{\"group_id\": \"g\",}", "{} {}"})
    void subscribe_bodyNotOneJsonObject_rejectedAsMalformed(String body) {
        assertMalformed(() -> subscribe(body));
    }

    @Test
    void subscribe_duplicateField_rejectedAsMalformed() {
        assertMalformed(() -> subscribe("{\"group_id\": \"a\", \"group_id\": \"b\", \"topics\": [\"t\"]}"))
                .hasMessageContaining("group_id");
    }

    // --- Consume ---

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\r\n\t ", "{}", " { } "})
    void consume_emptyBodyOrEmptyObject_allDefaults(String body) {
        var request = consume(body);

        assertThat(request).isEqualTo(ConsumerRequests.Consume.DEFAULTS);
        assertThat(request.maxRecords()).isEqualTo(500);
        assertThat(request.timeout()).isEqualTo(Duration.ofMillis(30_000));
        assertThat(request.maxBytes()).isEqualTo(1_048_576);
    }

    @Test
    void consume_everyField_parsed() {
        var request = consume("{\"max_records\": 7, \"timeout_ms\": 1500, \"max_bytes_total\": 4096}");

        assertThat(request.maxRecords()).isEqualTo(7);
        assertThat(request.timeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(request.maxBytes()).isEqualTo(4096);
    }

    @Test
    void consume_oneField_othersDefault() {
        var request = consume("{\"timeout_ms\": 0}");

        assertThat(request.timeout()).isEqualTo(Duration.ZERO);
        assertThat(request.maxRecords()).isEqualTo(500);
        assertThat(request.maxBytes()).isEqualTo(1_048_576);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 9_999, 10_000})
    void consume_maxRecordsInsideRange_accepted(int maxRecords) {
        assertThat(consume("{\"max_records\": " + maxRecords + "}").maxRecords())
                .isEqualTo(maxRecords);
    }

    @ParameterizedTest
    @ValueSource(strings = {"10001", "2147483647", "2147483648", "99999999999999999999"})
    void consume_maxRecordsAboveLimit_rejectedNamingField(String maxRecords) {
        assertInvalid(() -> consume("{\"max_records\": " + maxRecords + "}"), "max_records")
                .hasMessageContaining("between 1 and 10000");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "-2147483649"})
    void consume_maxRecordsBelowLimit_rejectedNamingField(String maxRecords) {
        assertInvalid(() -> consume("{\"max_records\": " + maxRecords + "}"), "max_records")
                .hasMessageContaining("between 1 and 10000");
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 299_999, 300_000})
    void consume_timeoutInsideRange_accepted(long timeoutMs) {
        assertThat(consume("{\"timeout_ms\": " + timeoutMs + "}").timeout()).isEqualTo(Duration.ofMillis(timeoutMs));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "300001", "9223372036854775807", "-9223372036854775808"})
    void consume_timeoutOutsideRange_rejectedNamingField(String timeoutMs) {
        assertInvalid(() -> consume("{\"timeout_ms\": " + timeoutMs + "}"), "timeout_ms")
                .hasMessageContaining("between 0 and 300000");
    }

    @ParameterizedTest
    @ValueSource(longs = {1024, 1025, 104_857_599, 104_857_600})
    void consume_maxBytesTotalInsideRange_accepted(long maxBytes) {
        assertThat(consume("{\"max_bytes_total\": " + maxBytes + "}").maxBytes())
                .isEqualTo(maxBytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1023", "0", "-1", "104857601", "18446744073709551616"})
    void consume_maxBytesTotalOutsideRange_rejectedNamingField(String maxBytes) {
        assertInvalid(() -> consume("{\"max_bytes_total\": " + maxBytes + "}"), "max_bytes_total")
                .hasMessageContaining("between 1024 and 104857600");
    }

    @ParameterizedTest
    @ValueSource(strings = {"max_records", "timeout_ms", "max_bytes_total"})
    void consume_fieldAsString_rejectedNamingField(String field) {
        assertInvalid(() -> consume("{\"" + field + "\": \"2048\"}"), field).hasMessageContaining("must be an integer");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.5", "2048.0", "1e3", "null", "false", "[]", "{}"})
    void consume_maxRecordsNotAnInteger_rejectedNamingField(String value) {
        assertInvalid(() -> consume("{\"max_records\": " + value + "}"), "max_records")
                .hasMessageContaining("must be an integer");
    }

    @Test
    void consume_unknownField_rejectedNamingItAndTheAllowedFields() {
        assertInvalid(() -> consume("{\"max_bytes\": 2048}"), "'max_bytes'")
                .hasMessageContaining("max_records, timeout_ms, max_bytes_total");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"[]", "null", "500", "{", "{\"max_records\": 1} x", "{\"max_records\": 1, \"max_records\": 2}"})
    void consume_bodyNotOneJsonObject_rejectedAsMalformed(String body) {
        assertMalformed(() -> consume(body));
    }

    // --- Commit ---

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "\n", "{}", " {} "})
    void commit_emptyBodyOrEmptyObject_commitsCurrentPositions(String body) {
        var request = commit(body);

        assertThat(request.allPositions()).isTrue();
        assertThat(request.offsets()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"+1", "007", "-0", " 1"})
    void commit_nonCanonicalPartitionKey_rejectedSoTwoKeysNeverNameOnePartition(String key) {
        assertInvalid(() -> commit("{\"offsets\": {\"orders\": {\"1\": 5, \"" + key + "\": 7}}}"), "partition keys");
    }

    @Test
    void commit_offsets_parsedPerTopicAndPartition() {
        var request = commit("{\"offsets\": {\"orders\": {\"0\": 100, \"1\": 150}, \"events\": {\"2\": 0}}}");

        assertThat(request.allPositions()).isFalse();
        assertThat(request.offsets())
                .containsExactly(
                        entry(new TopicPartition("orders", 0), 100L),
                        entry(new TopicPartition("orders", 1), 150L),
                        entry(new TopicPartition("events", 2), 0L));
    }

    @Test
    void commit_emptyOffsetsObject_commitsNothingRatherThanPositions() {
        var request = commit("{\"offsets\": {}}");

        assertThat(request.allPositions()).isFalse();
        assertThat(request.offsets()).isEmpty();
    }

    @Test
    void commit_topicWithNoPartitions_commitsNothingForIt() {
        var request = commit("{\"offsets\": {\"orders\": {}}}");

        assertThat(request.allPositions()).isFalse();
        assertThat(request.offsets()).isEmpty();
    }

    @Test
    void commit_largestOffsetAndPartition_accepted() {
        var request = commit("{\"offsets\": {\"t\": {\"2147483647\": 9223372036854775807}}}");

        assertThat(request.offsets())
                .containsExactly(entry(new TopicPartition("t", Integer.MAX_VALUE), Long.MAX_VALUE));
    }

    @Test
    void commit_negativeOffset_rejectedNamingTopicAndPartition() {
        assertInvalid(() -> commit("{\"offsets\": {\"orders\": {\"0\": 5, \"3\": -1}}}"), "offsets.orders.3")
                .hasMessageContaining("-1");
    }

    @Test
    void commit_offsetBeyondLong_rejectedNamingField() {
        assertInvalid(() -> commit("{\"offsets\": {\"orders\": {\"0\": 9223372036854775808}}}"), "offsets.orders.0");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"100\"", "100.5", "null", "true", "[100]", "{}"})
    void commit_offsetNotAnInteger_rejectedNamingField(String value) {
        assertInvalid(() -> commit("{\"offsets\": {\"orders\": {\"0\": " + value + "}}}"), "offsets.orders.0")
                .hasMessageContaining("must be an integer");
    }

    @ParameterizedTest
    @ValueSource(strings = {"x", "", "-1", "1.0", "0x1", " 1", "2147483648", "one"})
    void commit_partitionKeyNotANumber_rejectedNamingTopicAndKey(String key) {
        assertInvalid(() -> commit("{\"offsets\": {\"orders\": {\"" + key + "\": 1}}}"), "offsets.orders")
                .hasMessageContaining("'" + key + "'")
                .hasMessageContaining("partition keys are numbers >= 0");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[1, 2]", "100", "null", "\"0\""})
    void commit_topicValueNotAnObject_rejectedNamingTopic(String value) {
        assertInvalid(() -> commit("{\"offsets\": {\"orders\": " + value + "}}"), "offsets.orders")
                .hasMessageContaining("must be an object of partition to offset");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "null", "1", "\"orders\""})
    void commit_offsetsNotAnObject_rejectedNamingField(String value) {
        assertInvalid(() -> commit("{\"offsets\": " + value + "}"), "offsets")
                .hasMessageContaining("must be an object");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "or ders", "orders!"})
    void commit_badTopicName_rejected(String topic) {
        assertInvalid(() -> commit("{\"offsets\": {\"" + topic + "\": {\"0\": 1}}}"), "topic name");
    }

    @Test
    void commit_unknownField_rejectedNamingItAndTheAllowedFields() {
        assertInvalid(() -> commit("{\"offset\": {\"orders\": {\"0\": 1}}}"), "'offset'")
                .hasMessageContaining("allowed fields are offsets");
    }

    @Test
    void commit_duplicatePartitionKey_rejectedAsMalformed() {
        assertMalformed(() -> commit("{\"offsets\": {\"orders\": {\"0\": 1, \"0\": 2}}}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"null", "[]", "{\"offsets\": {}", "{} []"})
    void commit_bodyNotOneJsonObject_rejectedAsMalformed(String body) {
        assertMalformed(() -> commit(body));
    }

    // --- Seek ---

    @Test
    void seek_offset_parsed() {
        var request = seek("{\"topic\": \"orders\", \"partition\": 2, \"offset\": 5}");

        assertThat(request.partition()).isEqualTo(new TopicPartition("orders", 2));
        assertThat(request.target()).isEqualTo(new SeekTarget.Offset(5));
    }

    @Test
    void seek_fieldsInAnyOrder_parsed() {
        var request = seek("{\"offset\": 0, \"partition\": 0, \"topic\": \"orders\"}");

        assertThat(request.partition()).isEqualTo(new TopicPartition("orders", 0));
        assertThat(request.target()).isEqualTo(new SeekTarget.Offset(0));
    }

    @Test
    void seek_largestOffset_accepted() {
        assertThat(seek("{\"topic\": \"t\", \"partition\": 0, \"offset\": 9223372036854775807}")
                        .target())
                .isEqualTo(new SeekTarget.Offset(Long.MAX_VALUE));
    }

    @Test
    void seek_positionBeginning_parsed() {
        assertThat(seek("{\"topic\": \"t\", \"partition\": 0, \"position\": \"beginning\"}")
                        .target())
                .isEqualTo(new SeekTarget.Beginning());
    }

    @Test
    void seek_positionEnd_parsed() {
        assertThat(seek("{\"topic\": \"t\", \"partition\": 0, \"position\": \"end\"}")
                        .target())
                .isEqualTo(new SeekTarget.End());
    }

    @Test
    void seek_timestamp_parsed() {
        assertThat(seek("{\"topic\": \"t\", \"partition\": 0, \"timestamp\": 1704537600000}")
                        .target())
                .isEqualTo(new SeekTarget.Timestamp(1_704_537_600_000L));
    }

    @Test
    void seek_timestampZero_accepted() {
        assertThat(seek("{\"topic\": \"t\", \"partition\": 0, \"timestamp\": 0}")
                        .target())
                .isEqualTo(new SeekTarget.Timestamp(0));
    }

    @Test
    void seek_noTarget_rejectedListingTheChoices() {
        assertInvalid(() -> seek("{\"topic\": \"t\", \"partition\": 0}"), "exactly one of offset, position")
                .hasMessageContaining("got 0");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "\"offset\": 1, \"position\": \"end\"",
                "\"offset\": 1, \"timestamp\": 5",
                "\"position\": \"beginning\", \"timestamp\": 5"
            })
    void seek_twoTargets_rejectedAsNotExclusive(String targets) {
        assertInvalid(() -> seek("{\"topic\": \"t\", \"partition\": 0, " + targets + "}"), "exactly one of")
                .hasMessageContaining("got 2");
    }

    @Test
    void seek_allThreeTargets_rejectedAsNotExclusive() {
        assertInvalid(
                        () -> seek("{\"topic\": \"t\", \"partition\": 0, \"offset\": 1, \"position\": \"end\","
                                + " \"timestamp\": 5}"),
                        "exactly one of")
                .hasMessageContaining("got 3");
    }

    @Test
    void seek_negativeOffset_rejectedNamingField() {
        assertInvalid(() -> seek("{\"topic\": \"t\", \"partition\": 0, \"offset\": -1}"), "offset")
                .hasMessageContaining("between 0 and");
    }

    @Test
    void seek_negativeTimestamp_rejectedNamingField() {
        assertInvalid(() -> seek("{\"topic\": \"t\", \"partition\": 0, \"timestamp\": -5}"), "timestamp")
                .hasMessageContaining("between 0 and");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"5\"", "5.5", "null", "true"})
    void seek_offsetNotAnInteger_rejectedNamingField(String value) {
        assertInvalid(() -> seek("{\"topic\": \"t\", \"partition\": 0, \"offset\": " + value + "}"), "offset")
                .hasMessageContaining("must be an integer");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"start\"", "\"BEGINNING\"", "\"latest\"", "\"\""})
    void seek_unknownPosition_rejectedNamingChoices(String value) {
        assertInvalid(() -> seek("{\"topic\": \"t\", \"partition\": 0, \"position\": " + value + "}"), "position")
                .hasMessageContaining("'beginning' or 'end'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "null", "[\"end\"]"})
    void seek_positionNotAString_rejectedNamingField(String value) {
        assertInvalid(() -> seek("{\"topic\": \"t\", \"partition\": 0, \"position\": " + value + "}"), "position")
                .hasMessageContaining("must be a JSON string");
    }

    @Test
    void seek_missingTopic_rejectedNamingField() {
        assertInvalid(() -> seek("{\"partition\": 0, \"offset\": 1}"), "topic").hasMessageContaining("required");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "a b", "t/1"})
    void seek_badTopicName_rejected(String topic) {
        assertInvalid(() -> seek("{\"topic\": \"" + topic + "\", \"partition\": 0, \"offset\": 1}"), "topic name");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "null", "[\"t\"]"})
    void seek_topicNotAString_rejectedNamingField(String value) {
        assertInvalid(() -> seek("{\"topic\": " + value + ", \"partition\": 0, \"offset\": 1}"), "topic")
                .hasMessageContaining("must be a JSON string");
    }

    @Test
    void seek_missingPartition_rejectedNamingField() {
        assertInvalid(() -> seek("{\"topic\": \"t\", \"offset\": 1}"), "partition")
                .hasMessageContaining("required");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "2147483648"})
    void seek_partitionOutsideRange_rejectedNamingField(String partition) {
        assertInvalid(() -> seek("{\"topic\": \"t\", \"partition\": " + partition + ", \"offset\": 1}"), "partition")
                .hasMessageContaining("between 0 and 2147483647");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"0\"", "0.0", "null"})
    void seek_partitionNotAnInteger_rejectedNamingField(String value) {
        assertInvalid(() -> seek("{\"topic\": \"t\", \"partition\": " + value + ", \"offset\": 1}"), "partition")
                .hasMessageContaining("must be an integer");
    }

    @Test
    void seek_largestPartition_accepted() {
        assertThat(seek("{\"topic\": \"t\", \"partition\": 2147483647, \"offset\": 1}")
                        .partition())
                .isEqualTo(new TopicPartition("t", Integer.MAX_VALUE));
    }

    @Test
    void seek_unknownField_rejectedNamingItAndTheAllowedFields() {
        assertInvalid(() -> seek("{\"topic\": \"t\", \"partition\": 0, \"offsets\": 1}"), "'offsets'")
                .hasMessageContaining("topic, partition, offset, position, timestamp");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                " ",
                "[]",
                "null",
                "{\"topic\": \"t\"",
                "{\"topic\": \"t\", \"partition\": 0, \"offset\": 1, \"offset\": 2}"
            })
    void seek_bodyNotOneJsonObject_rejectedAsMalformed(String body) {
        // Unlike consume and commit, seek has no meaning without a body.
        assertMalformed(() -> seek(body));
    }

    // --- Assign ---

    @Test
    void assign_topics_parsedWithPartitionsInRequestOrder() {
        var request = assign("{\"topics\": {\"orders\": [1, 0], \"events\": [0]}}");

        assertThat(request.partitions()).containsOnlyKeys("orders", "events");
        assertThat(request.partitions().get("orders")).containsExactly(1, 0);
        assertThat(request.partitions().get("events")).containsExactly(0);
    }

    @Test
    void assign_duplicatePartitions_keptOnce() {
        assertThat(assign("{\"topics\": {\"orders\": [2, 2, 0, 2]}}")
                        .partitions()
                        .get("orders"))
                .containsExactly(2, 0);
    }

    @Test
    void assign_emptyTopicsObject_assignsNothing() {
        assertThat(assign("{\"topics\": {}}").partitions()).isEmpty();
    }

    @Test
    void assign_topicWithEmptyList_keptWithNoPartitions() {
        assertThat(assign("{\"topics\": {\"orders\": []}}").partitions()).containsExactly(entry("orders", Set.of()));
    }

    @Test
    void assign_missingTopics_rejectedNamingField() {
        assertInvalid(() -> assign("{}"), "topics").hasMessageContaining("required");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[\"orders\"]", "null", "\"orders\"", "1"})
    void assign_topicsNotAnObject_rejectedNamingField(String value) {
        assertInvalid(() -> assign("{\"topics\": " + value + "}"), "topics").hasMessageContaining("must be an object");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "{\"0\": true}", "null", "\"0,1\""})
    void assign_partitionListNotAnArray_rejectedNamingTopic(String value) {
        assertInvalid(() -> assign("{\"topics\": {\"orders\": " + value + "}}"), "topics.orders")
                .hasMessageContaining("must be an array of partition numbers");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "2147483648"})
    void assign_partitionOutsideRange_rejectedNamingTopic(String partition) {
        assertInvalid(() -> assign("{\"topics\": {\"orders\": [0, " + partition + "]}}"), "topics.orders[]")
                .hasMessageContaining("between 0 and 2147483647");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"1\"", "1.0", "null", "[1]"})
    void assign_partitionNotAnInteger_rejectedNamingTopic(String partition) {
        assertInvalid(() -> assign("{\"topics\": {\"orders\": [" + partition + "]}}"), "topics.orders[]")
                .hasMessageContaining("must be an integer");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "..", "a b", "ordérs"})
    void assign_badTopicName_rejected(String topic) {
        assertInvalid(() -> assign("{\"topics\": {\"" + topic + "\": [0]}}"), "topic name");
    }

    @Test
    void assign_topicCountAtLimit_accepted() {
        String topics = IntStream.range(0, ConsumerRequests.MAX_TOPICS)
                .mapToObj(i -> "\"t" + i + "\": [0]")
                .collect(Collectors.joining(","));

        assertThat(assign("{\"topics\": {" + topics + "}}").partitions()).hasSize(ConsumerRequests.MAX_TOPICS);
    }

    @Test
    void assign_topicCountAboveLimit_rejectedNamingField() {
        String topics = IntStream.range(0, ConsumerRequests.MAX_TOPICS + 1)
                .mapToObj(i -> "\"t" + i + "\": [0]")
                .collect(Collectors.joining(","));

        assertInvalid(() -> assign("{\"topics\": {" + topics + "}}"), "topics").hasMessageContaining("1000");
    }

    @Test
    void assign_unknownField_rejectedNamingItAndTheAllowedFields() {
        assertInvalid(() -> assign("{\"topics\": {}, \"group_id\": \"g\"}"), "'group_id'")
                .hasMessageContaining("allowed fields are topics");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "[]", "null", "{\"topics\": {\"t\": [0], \"t\": [1]}}", "{\"topics\": {}} 1"})
    void assign_bodyNotOneJsonObject_rejectedAsMalformed(String body) {
        assertMalformed(() -> assign(body));
    }

    @Test
    void everyRequest_rejectsBadUtf8AsMalformed() {
        byte[] body = {'{', '"', 'g', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'};

        for (ThrowingCallable parse : List.<ThrowingCallable>of(
                () -> ConsumerRequests.Subscribe.parse(body),
                () -> ConsumerRequests.Consume.parse(body),
                () -> ConsumerRequests.Commit.parse(body),
                () -> ConsumerRequests.Seek.parse(body),
                () -> ConsumerRequests.Assign.parse(body))) {
            assertMalformed(parse);
        }
    }
}
