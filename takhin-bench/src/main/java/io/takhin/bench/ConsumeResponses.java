package io.takhin.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads the records of a consume response body ({@code {"records": [{"topic", "partition", "offset",
 * "timestamp", "key", "value", "headers"}], "timestamp"}}) without building objects. Two ways, so a
 * run can show what the client's parsing costs: {@code scan} looks for the fields by their quoted
 * names in the order the server writes them (base64 has no quotes or colons, so a value cannot fake
 * one), finding quotes eight bytes at a time; {@code jackson} tokenises the whole document with Jackson's streaming parser. Stateless.
 */
final class ConsumeResponses {
    private static final byte[] PARTITION = "\"partition\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OFFSET = "\"offset\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] VALUE = "\"value\":".getBytes(StandardCharsets.US_ASCII);
    private static final JsonFactory JSON = new JsonFactory();
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long QUOTES = 0x2222222222222222L;

    private ConsumeResponses() {}

    /** Called once per record; the value is the base64 text {@code bytes[valueStart, valueEnd)}, or -1, -1 for null. */
    @FunctionalInterface
    interface Visitor {
        void record(int partition, long offset, byte[] bytes, int valueStart, int valueEnd);
    }

    /** Visits every record of the body; returns how many there were. */
    static int read(String parser, byte[] bytes, int offset, int length, Visitor visitor) {
        return switch (parser) {
            case "scan" -> scan(bytes, offset, offset + length, visitor);
            case "jackson" -> parse(bytes, offset, length, visitor);
            default -> throw new IllegalArgumentException("--parse must be scan or jackson, got " + parser);
        };
    }

    static int scan(byte[] bytes, int from, int to, Visitor visitor) {
        int count = 0;
        int position = from;
        while (true) {
            int partitionAt = indexOfName(bytes, PARTITION, position, to);
            if (partitionAt < 0) {
                return count;
            }
            position = partitionAt + PARTITION.length;
            long partition = number(bytes, position);
            int offsetAt = indexOfName(bytes, OFFSET, position, to);
            position = offsetAt + OFFSET.length;
            long offset = number(bytes, position);
            int valueAt = indexOfName(bytes, VALUE, position, to);
            if (offsetAt < 0 || valueAt < 0) {
                throw new IllegalStateException("a record without offset or value at byte " + partitionAt);
            }
            position = valueAt + VALUE.length;
            if (bytes[position] == '"') {
                int end = indexOfQuote(bytes, position + 1, to);
                if (end < 0) {
                    throw new IllegalStateException("a value without its closing quote at byte " + position);
                }
                visitor.record((int) partition, offset, bytes, position + 1, end);
                position = end + 1;
            } else {
                visitor.record((int) partition, offset, bytes, -1, -1);
            }
            count++;
        }
    }

    /** First index of {@code name} (which starts with a quote) in {@code bytes[from, to)}, or -1. */
    static int indexOfName(byte[] bytes, byte[] name, int from, int to) {
        for (int at = indexOfQuote(bytes, from, to); at >= 0; at = indexOfQuote(bytes, at + 1, to)) {
            // The byte after the quote rules out most quotes (the record's other names and strings)
            // before the whole name is compared.
            if (at + name.length <= to
                    && bytes[at + 1] == name[1]
                    && Arrays.equals(bytes, at, at + name.length, name, 0, name.length)) {
                return at;
            }
        }
        return -1;
    }

    /**
     * First index of a quote in {@code bytes[from, to)}, or -1: eight bytes at a time, as JSON
     * scanners do (a byte equal to the quote is a zero byte of {@code word ^ 0x2222...}; the lowest
     * flag of the classic has-zero-byte test is exact, so it names the first one).
     */
    static int indexOfQuote(byte[] bytes, int from, int to) {
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long word = (long) LONGS.get(bytes, i) ^ QUOTES;
            long found = (word - 0x0101010101010101L) & ~word & 0x8080808080808080L;
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (bytes[i] == '"') {
                return i;
            }
        }
        return -1;
    }

    private static long number(byte[] bytes, int position) {
        long value = 0;
        for (int i = position; bytes[i] >= '0' && bytes[i] <= '9'; i++) {
            value = value * 10 + (bytes[i] - '0');
        }
        return value;
    }

    static int parse(byte[] bytes, int offset, int length, Visitor visitor) {
        int count = 0;
        try (JsonParser json = JSON.createParser(bytes, offset, length)) {
            int partition = -1;
            long recordOffset = -1;
            int depth = 0;
            for (JsonToken token = json.nextToken(); token != null; token = json.nextToken()) {
                switch (token) {
                    case START_OBJECT, START_ARRAY -> depth++;
                    case END_OBJECT, END_ARRAY -> depth--;
                    case FIELD_NAME -> {
                        if (depth != 3) {
                            break;
                        }
                        String name = json.currentName();
                        JsonToken value = json.nextToken();
                        switch (name) {
                            case "partition" -> partition = json.getIntValue();
                            case "offset" -> recordOffset = json.getLongValue();
                            case "value" -> {
                                // The characters are tokenised, as any client must, but not decoded.
                                int textLength = value == JsonToken.VALUE_NULL ? -1 : json.getTextLength();
                                visitor.record(partition, recordOffset, bytes, 0, textLength);
                                count++;
                            }
                            default -> {
                                if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
                                    json.skipChildren();
                                }
                            }
                        }
                    }
                    default -> {}
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("consume response is not valid JSON", e);
        }
        return count;
    }
}
