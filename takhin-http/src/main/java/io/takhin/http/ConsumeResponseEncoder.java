package io.takhin.http;

import io.takhin.backend.Fetch;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Writes a consume response body, {@code {"records":[...],"timestamp":now}}, straight from the
 * fetched bytes (H5's encoding): one pass measures the exact size, a second writes into one array of
 * that size. No intermediate buffer, no copy of the body, no object per record; keys and values are
 * base64-encoded from where they are stored. Not thread-safe; one instance per response.
 */
final class ConsumeResponseEncoder {
    private static final byte[] BASE64 =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    /** Null while measuring; the body being written otherwise. */
    private byte @Nullable [] out;

    private int position;
    private byte[] scratch = new byte[0];
    private String lastTopic = "";
    private byte[] lastTopicBytes = new byte[0];

    private ConsumeResponseEncoder() {}

    static byte[] encode(Fetch fetch, long nowMs) {
        ConsumeResponseEncoder encoder = new ConsumeResponseEncoder();
        encoder.body(fetch, nowMs); // measures
        encoder.out = new byte[encoder.position];
        encoder.position = 0;
        encoder.body(fetch, nowMs);
        return encoder.out;
    }

    private void body(Fetch fetch, long nowMs) {
        ascii("{\"records\":[");
        boolean[] first = {true};
        fetch.forEach(record -> {
            if (!first[0]) {
                put((byte) ',');
            }
            first[0] = false;
            record(record);
        });
        ascii("],\"timestamp\":");
        number(nowMs);
        put((byte) '}');
    }

    private void record(Fetch.RecordView record) {
        ascii("{\"topic\":");
        topic(record.topic());
        ascii(",\"partition\":");
        number(record.partition());
        ascii(",\"offset\":");
        number(record.offset());
        ascii(",\"timestamp\":");
        number(record.timestampMs());
        ascii(",\"key\":");
        base64(record.keyBuffer(), record.keyPosition(), record.keyLength());
        ascii(",\"value\":");
        base64(record.valueBuffer(), record.valuePosition(), record.valueLength());
        ascii(",\"headers\":{");
        headers(record);
        ascii("}}");
    }

    /**
     * {"name": UTF-8 value}. A record may repeat a header name; JSON object keys must be unique, so
     * the last value wins (as Kafka's {@code lastHeader}), in the place of the name's first use.
     */
    private void headers(Fetch.RecordView record) {
        int count = record.headerCount();
        if (count == 0) {
            return;
        }
        Map<String, String> unique = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            unique.put(
                    record.headerKey(i),
                    StandardCharsets.UTF_8.decode(record.headerValue(i)).toString());
        }
        boolean first = true;
        for (Map.Entry<String, String> header : unique.entrySet()) {
            if (!first) {
                put((byte) ',');
            }
            first = false;
            string(header.getKey().getBytes(StandardCharsets.UTF_8));
            put((byte) ':');
            string(header.getValue().getBytes(StandardCharsets.UTF_8));
        }
    }

    private void topic(String topic) {
        if (!topic.equals(lastTopic)) {
            lastTopic = topic;
            lastTopicBytes = topic.getBytes(StandardCharsets.UTF_8);
        }
        string(lastTopicBytes);
    }

    /** A JSON string of UTF-8 bytes: quotes, backslashes and control characters escaped. */
    private void string(byte[] utf8) {
        put((byte) '"');
        for (byte b : utf8) {
            if (b == '"' || b == '\\') {
                put((byte) '\\');
                put(b);
            } else if (b >= 0 && b < 0x20) {
                ascii("\\u00");
                put(HEX[b >> 4]);
                put(HEX[b & 0xF]);
            } else {
                put(b);
            }
        }
        put((byte) '"');
    }

    /** Base64 (standard alphabet, padded) of {@code length} bytes at {@code offset}, or null for -1. */
    private void base64(ByteBuffer buffer, int offset, int length) {
        if (length < 0) {
            ascii("null");
            return;
        }
        int encoded = 4 * ((length + 2) / 3);
        if (out == null) {
            position += encoded + 2;
            return;
        }
        byte[] source;
        int from;
        if (buffer.hasArray()) {
            source = buffer.array();
            from = buffer.arrayOffset() + offset;
        } else {
            if (scratch.length < length) {
                scratch = new byte[Math.max(length, 2 * scratch.length)];
            }
            buffer.get(offset, scratch, 0, length);
            source = scratch;
            from = 0;
        }
        byte[] target = out;
        int at = position;
        target[at++] = '"';
        int end = from + length - length % 3;
        for (int i = from; i < end; i += 3) {
            int bits = (source[i] & 0xFF) << 16 | (source[i + 1] & 0xFF) << 8 | (source[i + 2] & 0xFF);
            target[at++] = BASE64[bits >>> 18];
            target[at++] = BASE64[(bits >>> 12) & 0x3F];
            target[at++] = BASE64[(bits >>> 6) & 0x3F];
            target[at++] = BASE64[bits & 0x3F];
        }
        int left = length % 3;
        if (left > 0) {
            int bits = (source[end] & 0xFF) << 16 | (left == 2 ? (source[end + 1] & 0xFF) << 8 : 0);
            target[at++] = BASE64[bits >>> 18];
            target[at++] = BASE64[(bits >>> 12) & 0x3F];
            target[at++] = left == 2 ? BASE64[(bits >>> 6) & 0x3F] : (byte) '=';
            target[at++] = '=';
        }
        target[at++] = '"';
        position = at;
    }

    private void number(long value) {
        if (value < 0) {
            put((byte) '-');
            if (value == Long.MIN_VALUE) {
                ascii("9223372036854775808");
                return;
            }
            value = -value;
        }
        int digits = 1;
        for (long rest = value / 10; rest > 0; rest /= 10) {
            digits++;
        }
        if (out == null) {
            position += digits;
            return;
        }
        for (int i = position + digits - 1; i >= position; i--) {
            out[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        position += digits;
    }

    private void ascii(String text) {
        if (out == null) {
            position += text.length();
            return;
        }
        for (int i = 0; i < text.length(); i++) {
            out[position++] = (byte) text.charAt(i);
        }
    }

    private void put(byte b) {
        if (out != null) {
            out[position] = b;
        }
        position++;
    }
}
