package io.takhin.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.takhin.common.ErrorCode;
import io.takhin.common.TakhinException;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.jspecify.annotations.Nullable;

/**
 * Jackson streaming helpers: the shared factories, writing a response body, and reading request
 * fields with errors that name the field. Thread-safe (the factories are; parsers are per call).
 */
final class Json {
    /**
     * Parses request bodies. Strings may be as long as a body may be (the body limit bounds them);
     * duplicate keys are rejected so that {@code {"partition":0,"partition":1}} is not silently
     * read as one of them.
     */
    static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxStringLength(Integer.MAX_VALUE)
                    .build())
            .build();

    /**
     * Writes stored JSON values: no separator between root values, so one generator can copy many
     * values into one buffer, one value at a time.
     */
    static final JsonFactory COPY_FACTORY =
            new JsonFactoryBuilder().rootValueSeparator((String) null).build();

    private Json() {}

    /** Writes a JSON document. */
    @FunctionalInterface
    interface Writer {
        void write(JsonGenerator generator) throws IOException;
    }

    /** The bytes {@code writer} produces. */
    static byte[] bytes(Writer writer) {
        try (ByteArrayBuilder buffer = new ByteArrayBuilder(256)) {
            try (JsonGenerator generator = FACTORY.createGenerator(buffer)) {
                writer.write(generator);
            }
            return buffer.toByteArray();
        } catch (IOException e) {
            // Writing to memory does not fail on I/O; this is a bug in a writer (e.g. unbalanced objects).
            throw new UncheckedIOException("could not write a JSON response", e);
        }
    }

    /** {@code {"<field>": "<value>"}}, e.g. {@code {"message": "topic deleted"}}. */
    static byte[] object(String field, String value) {
        return bytes(g -> {
            g.writeStartObject();
            g.writeStringField(field, value);
            g.writeEndObject();
        });
    }

    /** Reads a request body with a streaming parser. */
    @FunctionalInterface
    interface Reader<T> {
        T read(JsonParser parser) throws IOException;
    }

    /**
     * Runs {@code reader} over {@code body}. Every parser-side Jackson failure is the client's bad JSON
     * (400 {@code malformed_request}): a syntax error, bad UTF-8, a duplicate field, or a document past
     * a parser limit (nesting depth, number length).
     */
    static <T> T read(byte[] body, Reader<T> reader) {
        try (JsonParser parser = FACTORY.createParser(body)) {
            return reader.read(parser);
        } catch (StreamConstraintsException e) {
            throw new TakhinException(
                    ErrorCode.MALFORMED_REQUEST,
                    "request body exceeds a JSON parser limit: " + e.getOriginalMessage(),
                    e);
        } catch (StreamReadException e) {
            throw malformed(e);
        } catch (IOException e) {
            // Parsing a byte array does no I/O, and a parser reports bad input as StreamReadException.
            throw new UncheckedIOException("unexpected I/O error parsing an in-memory body", e);
        }
    }

    /** A malformed-request error for a syntax error in the body, with where it is. */
    static TakhinException malformed(StreamReadException e) {
        var location = e.getLocation();
        String where =
                location == null ? "" : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
        return new TakhinException(
                ErrorCode.MALFORMED_REQUEST,
                "request body is not valid JSON" + where + ": " + e.getOriginalMessage(),
                e);
    }

    /** Moves to the first token and requires it to open an object; an empty body is an error. */
    static void requireObjectStart(JsonParser parser) throws IOException {
        JsonToken token = parser.nextToken();
        if (token == null) {
            throw new TakhinException(ErrorCode.MALFORMED_REQUEST, "request body is empty; expected a JSON object");
        }
        if (token != JsonToken.START_OBJECT) {
            throw new TakhinException(
                    ErrorCode.MALFORMED_REQUEST, "request body must be a JSON object, got " + describe(token));
        }
    }

    /** After the top-level object: nothing but whitespace may follow. */
    static void requireEnd(JsonParser parser) throws IOException {
        JsonToken token = parser.nextToken();
        if (token != null) {
            throw new TakhinException(
                    ErrorCode.MALFORMED_REQUEST, "request body has content after the JSON object: " + describe(token));
        }
    }

    /** The current token as a JSON string; {@code field} names it in the error otherwise. */
    static String string(JsonParser parser, String field) throws IOException {
        if (parser.currentToken() != JsonToken.VALUE_STRING) {
            throw TakhinException.invalidArgument(
                    field + " must be a JSON string, got " + describe(parser.currentToken()));
        }
        return parser.getText();
    }

    /** The current token as an int in {@code min..max}; {@code field} names it in the error otherwise. */
    static int intInRange(JsonParser parser, String field, int min, int max) throws IOException {
        return (int) longInRange(parser, field, min, max);
    }

    /** The current token as a long in {@code min..max}; {@code field} names it in the error otherwise. */
    static long longInRange(JsonParser parser, String field, long min, long max) throws IOException {
        JsonToken token = parser.currentToken();
        if (token != JsonToken.VALUE_NUMBER_INT) {
            throw TakhinException.invalidArgument(field + " must be an integer, got " + describe(token));
        }
        if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw TakhinException.invalidArgument(
                    field + " must be between " + min + " and " + max + ", got " + parser.getText());
        }
        long value = parser.getLongValue();
        if (value < min || value > max) {
            throw TakhinException.invalidArgument(field + " must be between " + min + " and " + max + ", got " + value);
        }
        return value;
    }

    /** An unknown field is an error: a misspelt field would otherwise be silently ignored. */
    static TakhinException unknownField(String where, String name, String allowed) {
        return TakhinException.invalidArgument(
                where + " has an unknown field '" + name + "'; allowed fields are " + allowed);
    }

    /** A token described for an error sentence: "a number", "an object", "null". */
    static String describe(@Nullable JsonToken token) {
        if (token == null) {
            return "nothing";
        }
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT -> "an integer";
            case VALUE_NUMBER_FLOAT -> "a decimal number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> token.asString() == null ? token.name() : "'" + token.asString() + "'";
        };
    }
}
