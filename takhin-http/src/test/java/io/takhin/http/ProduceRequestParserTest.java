package io.takhin.http;

import static io.takhin.http.RecordFormat.BINARY;
import static io.takhin.http.RecordFormat.JSON;
import static io.takhin.http.RecordFormat.STRING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.takhin.backend.ProduceRecord;
import io.takhin.common.ErrorCode;
import io.takhin.common.TakhinException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

class ProduceRequestParserTest {
    private static List<ProduceRecord> parse(String body, RecordFormat keyFormat, RecordFormat valueFormat) {
        return ProduceRequestParser.parse(body.getBytes(StandardCharsets.UTF_8), keyFormat, valueFormat);
    }

    private static List<ProduceRecord> parse(String body) {
        return parse(body, JSON, JSON);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertRejected(
            String body, RecordFormat keyFormat, RecordFormat valueFormat, ErrorCode code) {
        return assertThatThrownBy(() -> parse(body, keyFormat, valueFormat))
                .isInstanceOfSatisfying(
                        TakhinException.class, e -> assertThat(e.code()).isEqualTo(code));
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertInvalid(String body) {
        return assertRejected(body, JSON, JSON, ErrorCode.INVALID_ARGUMENT);
    }

    @Test
    void parse_jsonFormat_storesCompactJsonText() {
        var records =
                parse("{\"records\": [{\"key\": \"k1\", \"value\": { \"any\" : [1, 2.50, \"x\", null, true] }}]}");

        assertThat(records).hasSize(1);
        // A JSON string keeps its quotes: the stored bytes are the value's JSON text.
        assertThat(records.getFirst().key()).isEqualTo(utf8("\"k1\""));
        assertThat(records.getFirst().value()).isEqualTo(utf8("{\"any\":[1,2.50,\"x\",null,true]}"));
        assertThat(records.getFirst().partition()).isEqualTo(ProduceRecord.ANY_PARTITION);
        assertThat(records.getFirst().headers()).isEmpty();
    }

    @Test
    void parse_jsonFormat_keepsNumberPrecisionAndNonAsciiText() {
        var records = parse("{\"records\": [{\"value\": 12345678901234567890.000000000001},"
                + " {\"value\": \"zürich \\u00e9\"}]}");

        assertThat(records.get(0).value()).isEqualTo(utf8("12345678901234567890.000000000001"));
        assertThat(records.get(1).value()).isEqualTo(utf8("\"zürich é\""));
    }

    @Test
    void parse_manyRecords_keepsRequestOrderAndSeparatesValues() {
        var records = parse("{\"records\": [{\"value\": {\"n\": 1}}, {\"value\": [2]}, {\"value\": 3}]}");

        assertThat(records).extracting(ProduceRecord::value).containsExactly(utf8("{\"n\":1}"), utf8("[2]"), utf8("3"));
    }

    @Test
    void parse_stringFormat_storesUtf8Bytes() {
        var records = parse("{\"records\": [{\"key\": \"clé\", \"value\": \"hello\"}]}", STRING, STRING);

        assertThat(records.getFirst().key()).isEqualTo(utf8("clé"));
        assertThat(records.getFirst().value()).isEqualTo(utf8("hello"));
    }

    @Test
    void parse_stringFormatWithNonString_answers400NamingField() {
        assertRejected(
                        "{\"records\": [{\"value\": \"ok\"}, {\"value\": {\"a\": 1}}]}",
                        JSON,
                        STRING,
                        ErrorCode.INVALID_ARGUMENT)
                .hasMessage("records[1].value must be a JSON string when value.format=string, got an object");
    }

    @Test
    void parse_binaryFormat_storesDecodedBytes() {
        var records = parse("{\"records\": [{\"key\": \"AAH/\", \"value\": \"aGVsbG8=\"}]}", BINARY, BINARY);

        assertThat(records.getFirst().key()).isEqualTo(new byte[] {0, 1, (byte) 0xff});
        assertThat(records.getFirst().value()).isEqualTo(utf8("hello"));
    }

    @Test
    void produce_badBase64_answers400NamingRecord() {
        assertRejected(
                        "{\"records\": [{\"value\": \"aGVsbG8=\"}, {\"value\": \"not base64!\"}]}",
                        JSON,
                        BINARY,
                        ErrorCode.INVALID_ARGUMENT)
                .hasMessageStartingWith("records[1].value is not valid base64");
    }

    @Test
    void parse_binaryKeyNotAString_answers400NamingKey() {
        assertRejected("{\"records\": [{\"key\": 42}]}", BINARY, JSON, ErrorCode.INVALID_ARGUMENT)
                .hasMessage("records[0].key must be a JSON string when key.format=binary, got an integer");
    }

    @Test
    void parse_nullOrAbsentKeyAndValue_areNull() {
        var records = parse("{\"records\": [{\"key\": null, \"value\": null}, {}]}", BINARY, BINARY);

        assertThat(records).hasSize(2);
        assertThat(records).allSatisfy(record -> {
            assertThat(record.key()).isNull();
            assertThat(record.value()).isNull();
        });
    }

    @Test
    void parse_headers_areUtf8InOrder() {
        var records = parse("{\"records\": [{\"value\": 1, \"headers\": [{\"key\": \"source\", \"value\": \"api\"},"
                + " {\"key\": \"source\", \"value\": \"ünï\"}]}]}");

        var headers = records.getFirst().headers();
        assertThat(headers).extracting(ProduceRecord.Header::key).containsExactly("source", "source");
        assertThat(headers).extracting(ProduceRecord.Header::value).containsExactly(utf8("api"), utf8("ünï"));
    }

    @Test
    void parse_headerWithoutValue_answers400NamingHeader() {
        assertInvalid("{\"records\": [{\"headers\": [{\"key\": \"a\", \"value\": \"b\"}, {\"key\": \"c\"}]}]}")
                .hasMessage("records[0].headers[1].value is required");
    }

    @Test
    void parse_headerValueNotString_answers400() {
        assertInvalid("{\"records\": [{\"headers\": [{\"key\": \"a\", \"value\": 1}]}]}")
                .hasMessage("records[0].headers[0].value must be a JSON string, got an integer");
    }

    @Test
    void parse_headersNotArray_answers400() {
        assertInvalid("{\"records\": [{\"headers\": {\"source\": \"api\"}}]}")
                .hasMessageStartingWith("records[0].headers must be an array");
    }

    @Test
    void parse_explicitPartition_isKept() {
        var records = parse("{\"records\": [{\"value\": 1, \"partition\": 7}, {\"value\": 2, \"partition\": null}]}");

        assertThat(records).extracting(ProduceRecord::partition).containsExactly(7, ProduceRecord.ANY_PARTITION);
    }

    @Test
    void parse_negativePartition_answers400() {
        assertInvalid("{\"records\": [{\"partition\": -1}]}")
                .hasMessage("records[0].partition must be between 0 and 2147483647, got -1");
    }

    @Test
    void parse_partitionAboveIntRange_answers400() {
        assertInvalid("{\"records\": [{\"partition\": 4294967296}]}")
                .hasMessage("records[0].partition must be between 0 and 2147483647, got 4294967296");
    }

    @Test
    void parse_partitionWrongType_answers400() {
        assertInvalid("{\"records\": [{\"partition\": \"0\"}]}")
                .hasMessage("records[0].partition must be an integer, got a string");
        assertInvalid("{\"records\": [{\"partition\": 1.5}]}")
                .hasMessage("records[0].partition must be an integer, got a decimal number");
    }

    @Test
    void parse_emptyRecords_answers400() {
        assertInvalid("{\"records\": []}").hasMessage("records must not be empty");
    }

    @Test
    void parse_missingRecords_answers400() {
        assertInvalid("{}").hasMessage("records is required");
    }

    @Test
    void parse_recordsNotArray_answers400() {
        assertInvalid("{\"records\": {\"value\": 1}}").hasMessage("records must be an array, got an object");
        assertInvalid("{\"records\": null}").hasMessage("records must be an array, got null");
    }

    @Test
    void parse_recordNotObject_answers400NamingIndex() {
        assertInvalid("{\"records\": [{}, \"x\"]}").hasMessage("records[1] must be an object, got a string");
    }

    @Test
    void parse_unknownRecordField_answers400NamingIt() {
        assertInvalid("{\"records\": [{\"value\": 1, \"partiton\": 0}]}")
                .hasMessage(
                        "records[0] has an unknown field 'partiton'; allowed fields are key, value, partition, headers");
    }

    @Test
    void parse_unknownTopLevelField_answers400() {
        assertInvalid("{\"records\": [{}], \"extra\": 1}").hasMessageContaining("unknown field 'extra'");
    }

    @Test
    void parse_malformedJson_answers400Malformed() {
        assertRejected("{\"records\": [{\"value\": }]}", JSON, JSON, ErrorCode.MALFORMED_REQUEST)
                .hasMessageStartingWith("request body is not valid JSON at line 1");
        assertRejected("{\"records\": [", JSON, JSON, ErrorCode.MALFORMED_REQUEST);
    }

    @Test
    void parse_duplicateField_answers400Malformed() {
        assertRejected("{\"records\": [{\"partition\": 0, \"partition\": 1}]}", JSON, JSON, ErrorCode.MALFORMED_REQUEST)
                .hasMessageContaining("partition");
    }

    @Test
    void parse_emptyBody_answers400Malformed() {
        assertRejected("", JSON, JSON, ErrorCode.MALFORMED_REQUEST)
                .hasMessage("request body is empty; expected a JSON object");
    }

    @Test
    void parse_bodyNotObject_answers400Malformed() {
        assertRejected("[{\"value\": 1}]", JSON, JSON, ErrorCode.MALFORMED_REQUEST)
                .hasMessage("request body must be a JSON object, got an array");
    }

    @Test
    void parse_trailingContent_answers400Malformed() {
        assertRejected("{\"records\": [{}]} {}", JSON, JSON, ErrorCode.MALFORMED_REQUEST)
                .hasMessageContaining("content after the JSON object");
    }

    @Test
    void parse_nestingPastParserLimit_answers400Malformed() {
        String deep = "[".repeat(5000) + "]".repeat(5000);

        assertRejected("{\"records\": [{\"value\": " + deep + "}]}", JSON, JSON, ErrorCode.MALFORMED_REQUEST)
                .hasMessageStartingWith("request body exceeds a JSON parser limit");
    }

    @Test
    void parse_numberPastParserLimit_answers400Malformed() {
        assertRejected(
                "{\"records\": [{\"value\": " + "9".repeat(5000) + "}]}", JSON, JSON, ErrorCode.MALFORMED_REQUEST);
    }

    @Test
    void parse_invalidUtf8_answers400Malformed() {
        byte[] body = {'{', '"', (byte) 0xc3, (byte) 0x28, '"', ':', '1', '}'};

        assertThatThrownBy(() -> ProduceRequestParser.parse(body, JSON, JSON))
                .isInstanceOfSatisfying(
                        TakhinException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_REQUEST));
    }
}
