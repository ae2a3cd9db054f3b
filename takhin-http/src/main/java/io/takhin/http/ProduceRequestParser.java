package io.takhin.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.takhin.backend.ProduceRecord;
import io.takhin.common.TakhinException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Parses a produce request body with Jackson's streaming parser (no trees: this path is
 * benchmarked):
 *
 * <pre>{@code
 * {"records": [{"key": ..., "value": ..., "partition": 0, "headers": [{"key": "source", "value": "api"}]}]}
 * }</pre>
 *
 * Every field of a record is optional: no key (or {@code null}) is no key, no value (or {@code null})
 * is a null value, no partition (or {@code null}) lets the backend place the record. Unknown fields
 * are rejected so a misspelt {@code "partiton"} is not silently ignored. Every error is 400 with a
 * sentence naming the field, e.g. {@code records[3].value is not valid base64}.
 *
 * <p>Not thread-safe; one instance parses one body.
 */
final class ProduceRequestParser implements AutoCloseable {
    private static final String RECORD_FIELDS = "key, value, partition, headers";
    private static final String HEADER_FIELDS = "key, value";

    private final RecordFormat keyFormat;
    private final RecordFormat valueFormat;
    /** Holds one copied JSON value at a time; reused across the records of the body. */
    private final ByteArrayBuilder copyBuffer = new ByteArrayBuilder(256);

    private final JsonGenerator copier;

    private ProduceRequestParser(RecordFormat keyFormat, RecordFormat valueFormat) throws IOException {
        this.keyFormat = keyFormat;
        this.valueFormat = valueFormat;
        this.copier = Json.COPY_FACTORY.createGenerator(copyBuffer);
    }

    /** The records of {@code body}, in request order; never empty. */
    static List<ProduceRecord> parse(byte[] body, RecordFormat keyFormat, RecordFormat valueFormat) {
        return Json.read(body, json -> {
            try (ProduceRequestParser parser = new ProduceRequestParser(keyFormat, valueFormat)) {
                return parser.parseBody(json);
            }
        });
    }

    private List<ProduceRecord> parseBody(JsonParser json) throws IOException {
        Json.requireObjectStart(json);
        List<ProduceRecord> records = null;
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String name = json.currentName();
            json.nextToken();
            if (!name.equals("records")) {
                throw Json.unknownField("the request body", name, "records");
            }
            records = parseRecords(json);
        }
        Json.requireEnd(json);
        if (records == null) {
            throw TakhinException.invalidArgument("records is required");
        }
        if (records.isEmpty()) {
            throw TakhinException.invalidArgument("records must not be empty");
        }
        return records;
    }

    private List<ProduceRecord> parseRecords(JsonParser json) throws IOException {
        if (json.currentToken() != JsonToken.START_ARRAY) {
            throw TakhinException.invalidArgument(
                    "records must be an array, got " + Json.describe(json.currentToken()));
        }
        List<ProduceRecord> records = new ArrayList<>();
        JsonToken token;
        while ((token = json.nextToken()) != JsonToken.END_ARRAY) {
            int index = records.size();
            if (token != JsonToken.START_OBJECT) {
                throw TakhinException.invalidArgument(
                        "records[" + index + "] must be an object, got " + Json.describe(token));
            }
            records.add(parseRecord(json, index));
        }
        return records;
    }

    private ProduceRecord parseRecord(JsonParser json, int index) throws IOException {
        byte[] key = null;
        byte[] value = null;
        int partition = ProduceRecord.ANY_PARTITION;
        List<ProduceRecord.Header> headers = List.of();
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String name = json.currentName();
            JsonToken token = json.nextToken();
            switch (name) {
                case "key" -> key = parseData(json, keyFormat, index, "key");
                case "value" -> value = parseData(json, valueFormat, index, "value");
                case "partition" ->
                    partition = token == JsonToken.VALUE_NULL
                            ? ProduceRecord.ANY_PARTITION
                            : Json.intInRange(json, field(index, "partition"), 0, Integer.MAX_VALUE);
                case "headers" -> headers = parseHeaders(json, index);
                default -> throw Json.unknownField("records[" + index + "]", name, RECORD_FIELDS);
            }
        }
        return new ProduceRecord(key, value, headers, partition);
    }

    /** A key or value in {@code format}; JSON null is null. */
    private byte @Nullable [] parseData(JsonParser json, RecordFormat format, int index, String fieldName)
            throws IOException {
        JsonToken token = json.currentToken();
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        return switch (format) {
            case JSON -> copy(json);
            case STRING -> requireString(json, format, index, fieldName).getBytes(StandardCharsets.UTF_8);
            case BINARY -> {
                String base64 = requireString(json, format, index, fieldName);
                try {
                    yield Base64.getDecoder().decode(base64);
                } catch (IllegalArgumentException e) {
                    throw TakhinException.invalidArgument(field(index, fieldName) + " is not valid base64 (" + fieldName
                            + ".format=binary expects standard base64 with '+' and '/')");
                }
            }
        };
    }

    private static String requireString(JsonParser json, RecordFormat format, int index, String fieldName)
            throws IOException {
        if (json.currentToken() != JsonToken.VALUE_STRING) {
            throw TakhinException.invalidArgument(field(index, fieldName) + " must be a JSON string when "
                    + fieldName + ".format=" + format.queryValue() + ", got "
                    + Json.describe(json.currentToken()));
        }
        return json.getText();
    }

    /** The current value (scalar or structure) as compact JSON text; numbers keep their precision. */
    private byte[] copy(JsonParser json) throws IOException {
        copier.copyCurrentStructureExact(json);
        copier.flush();
        byte[] bytes = copyBuffer.toByteArray();
        copyBuffer.reset();
        return bytes;
    }

    private static List<ProduceRecord.Header> parseHeaders(JsonParser json, int index) throws IOException {
        JsonToken token = json.currentToken();
        if (token == JsonToken.VALUE_NULL) {
            return List.of();
        }
        if (token != JsonToken.START_ARRAY) {
            throw TakhinException.invalidArgument(field(index, "headers")
                    + " must be an array of {\"key\": ..., \"value\": ...} objects, got " + Json.describe(token));
        }
        List<ProduceRecord.Header> headers = new ArrayList<>();
        while ((token = json.nextToken()) != JsonToken.END_ARRAY) {
            String where = field(index, "headers") + "[" + headers.size() + "]";
            if (token != JsonToken.START_OBJECT) {
                throw TakhinException.invalidArgument(where + " must be an object, got " + Json.describe(token));
            }
            headers.add(parseHeader(json, where));
        }
        return headers;
    }

    private static ProduceRecord.Header parseHeader(JsonParser json, String where) throws IOException {
        String key = null;
        String value = null;
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String name = json.currentName();
            json.nextToken();
            switch (name) {
                case "key" -> key = Json.string(json, where + ".key");
                case "value" -> value = Json.string(json, where + ".value");
                default -> throw Json.unknownField(where, name, HEADER_FIELDS);
            }
        }
        if (key == null) {
            throw TakhinException.invalidArgument(where + ".key is required");
        }
        if (value == null) {
            throw TakhinException.invalidArgument(where + ".value is required");
        }
        return new ProduceRecord.Header(key, value.getBytes(StandardCharsets.UTF_8));
    }

    private static String field(int index, String name) {
        return "records[" + index + "]." + name;
    }

    @Override
    public void close() throws IOException {
        copier.close();
        copyBuffer.release();
    }
}
