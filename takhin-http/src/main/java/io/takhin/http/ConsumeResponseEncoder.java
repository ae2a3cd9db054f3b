package io.takhin.http;

import io.takhin.backend.Fetch;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Writes a consume response body, {@code {"records":[...],"timestamp":now}}, straight from the
 * fetched bytes (H5's encoding): one pass adds up the exact size of the records, a second writes
 * them into one array of that size plus room for the timestamp, which is written when the body is
 * sent (H8: the records may be written ahead). No intermediate buffer, no copy of the body, no
 * object per record.
 *
 * <p>It is the hottest code of a drain, so each record is a few block copies: the bytes up to the
 * offset are the same for every record of one partition and are built once; a timestamp equal to the
 * previous record's (common: a producer batch shares one millisecond) is copied from where it was
 * written; keys and values go through the JDK's base64 encoder, which the JIT replaces with vector
 * instructions. Not thread-safe; one instance per response.
 */
final class ConsumeResponseEncoder {
    private static final Base64.Encoder BASE64 = Base64.getEncoder();
    private static final byte[] HEX = ascii("0123456789abcdef");
    /** "00" to "99": two digits per division. */
    private static final byte[] DIGIT_PAIRS = digitPairs();
    /** 10^0 to 10^18. */
    private static final long[] POWERS_OF_TEN = powersOfTen();

    private static final byte[] BODY_START = ascii("{\"records\":[");
    private static final byte[] BODY_END = ascii("],\"timestamp\":");
    /** The end of a body: BODY_END, a timestamp of at most 20 characters, '}'. */
    private static final int MAX_TAIL = BODY_END.length + 20 + 1;

    private static final byte[] TIMESTAMP = ascii(",\"timestamp\":");
    private static final byte[] KEY = ascii(",\"key\":");
    private static final byte[] VALUE = ascii(",\"value\":");
    private static final byte[] HEADERS = ascii(",\"headers\":{");
    private static final byte[] RECORD_END = ascii("}}");
    private static final byte[] NULL = ascii("null");
    private static final byte[] NO_HEADERS = new byte[0];

    /** Empty while measuring; the body being written otherwise. */
    private byte[] out = new byte[0];

    private boolean writing;
    private int position;

    /** {@code {"topic":"...","partition":N,"offset":} of the last record's topic and partition. */
    private byte[] prefix = new byte[0];

    private String prefixTopic = "";
    private int prefixPartition = -1;

    private long lastTimestamp = Long.MIN_VALUE;
    private int lastTimestampLength;
    /** Where the last timestamp's digits were written (writing pass only). */
    private int lastTimestampAt = -1;

    /** A copy of a key or value that does not fill its own array: the JDK encoder takes whole arrays. */
    private byte[] exact = new byte[0];

    /** The JDK encoder writes from index 0; encoded bytes are copied on from here. */
    private byte[] encoded = new byte[0];

    private ConsumeResponseEncoder() {}

    /** The body of {@code fetch} but its timestamp, in an array with room for it. */
    static Body records(Fetch fetch) {
        return write(fetch, measure(fetch));
    }

    /** The array size {@link #write} needs for {@code fetch}: the records and the longest timestamp. */
    static int measure(Fetch fetch) {
        ConsumeResponseEncoder measure = new ConsumeResponseEncoder();
        measure.writeRecords(fetch);
        return measure.position + MAX_TAIL;
    }

    /** Writes the records of {@code fetch} into an array of {@code size}, which {@link #measure} gave. */
    static Body write(Fetch fetch, int size) {
        ConsumeResponseEncoder write = new ConsumeResponseEncoder();
        write.out = new byte[size];
        write.writing = true;
        write.writeRecords(fetch);
        if (write.position != size - MAX_TAIL) {
            throw new IllegalStateException(
                    "consume response measured " + (size - MAX_TAIL) + " bytes but wrote " + write.position);
        }
        return new Body(write.out, write.position);
    }

    /**
     * A body whose records are written and whose timestamp, the time it is sent, is not yet: the
     * records may be written ahead of their poll (H8).
     */
    static final class Body {
        private final byte[] bytes;
        private final int recordsEnd;

        private Body(byte[] bytes, int recordsEnd) {
            this.bytes = bytes;
            this.recordsEnd = recordsEnd;
        }

        /** The array; the body is its first {@link #finish} bytes, the rest is unsent. */
        byte[] bytes() {
            return bytes;
        }

        /** Ends the body with {@code ],"timestamp":nowMs}}; returns the body's length. Call once. */
        int finish(long nowMs) {
            ConsumeResponseEncoder tail = new ConsumeResponseEncoder();
            tail.out = bytes;
            tail.writing = true;
            tail.position = recordsEnd;
            tail.put(BODY_END);
            tail.number(nowMs, digits(nowMs));
            tail.put((byte) '}');
            return tail.position;
        }
    }

    private void writeRecords(Fetch fetch) {
        put(BODY_START);
        boolean[] first = {true};
        fetch.forEach(record -> {
            if (!first[0]) {
                put((byte) ',');
            }
            first[0] = false;
            record(record);
        });
    }

    private void record(Fetch.RecordView record) {
        if (record.partition() != prefixPartition || !record.topic().equals(prefixTopic)) {
            prefix(record.topic(), record.partition());
        }
        put(prefix);
        long offset = record.offset();
        number(offset, digits(offset));
        put(TIMESTAMP);
        timestamp(record.timestampMs());
        put(KEY);
        base64(record.keyBuffer(), record.keyPosition(), record.keyLength());
        put(VALUE);
        base64(record.valueBuffer(), record.valuePosition(), record.valueLength());
        put(HEADERS);
        put(record.headerCount() == 0 ? NO_HEADERS : headers(record));
        put(RECORD_END);
    }

    private void prefix(String topic, int partition) {
        byte[] name = jsonString(topic.getBytes(StandardCharsets.UTF_8));
        String head = "{\"topic\":" + new String(name, StandardCharsets.UTF_8) + ",\"partition\":" + partition
                + ",\"offset\":";
        prefix = head.getBytes(StandardCharsets.UTF_8);
        prefixTopic = topic;
        prefixPartition = partition;
    }

    private void timestamp(long timestampMs) {
        if (timestampMs == lastTimestamp) {
            if (writing) {
                System.arraycopy(out, lastTimestampAt, out, position, lastTimestampLength);
            }
            position += lastTimestampLength;
            return;
        }
        lastTimestamp = timestampMs;
        lastTimestampLength = digits(timestampMs);
        lastTimestampAt = position;
        number(timestampMs, lastTimestampLength);
    }

    /**
     * {"name": UTF-8 value, ...} without the braces. A record may repeat a header name; JSON object
     * keys must be unique, so the last value wins (as Kafka's {@code lastHeader}), in the place of the
     * name's first use. Rare enough to build as a small array per record.
     */
    private static byte[] headers(Fetch.RecordView record) {
        Map<String, String> unique = new LinkedHashMap<>();
        for (int i = 0; i < record.headerCount(); i++) {
            unique.put(
                    record.headerKey(i),
                    StandardCharsets.UTF_8.decode(record.headerValue(i)).toString());
        }
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        for (Map.Entry<String, String> header : unique.entrySet()) {
            if (json.size() > 0) {
                json.write(',');
            }
            json.writeBytes(jsonString(header.getKey().getBytes(StandardCharsets.UTF_8)));
            json.write(':');
            json.writeBytes(jsonString(header.getValue().getBytes(StandardCharsets.UTF_8)));
        }
        return json.toByteArray();
    }

    /** A JSON string of UTF-8 bytes: quotes, backslashes and control characters escaped. */
    private static byte[] jsonString(byte[] utf8) {
        byte[] escaped = new byte[2 + 6 * utf8.length];
        int at = 0;
        escaped[at++] = '"';
        for (byte b : utf8) {
            if (b == '"' || b == '\\') {
                escaped[at++] = '\\';
                escaped[at++] = b;
            } else if (b >= 0 && b < 0x20) {
                escaped[at++] = '\\';
                escaped[at++] = 'u';
                escaped[at++] = '0';
                escaped[at++] = '0';
                escaped[at++] = HEX[b >> 4];
                escaped[at++] = HEX[b & 0xF];
            } else {
                escaped[at++] = b;
            }
        }
        escaped[at++] = '"';
        return Arrays.copyOf(escaped, at);
    }

    /** Base64 (standard alphabet, padded) of {@code length} bytes at {@code offset}, or null for -1. */
    private void base64(ByteBuffer buffer, int offset, int length) {
        if (length < 0) {
            put(NULL);
            return;
        }
        int size = 4 * ((length + 2) / 3);
        if (!writing) {
            position += size + 2;
            return;
        }
        byte[] source;
        if (buffer.hasArray() && buffer.arrayOffset() == 0 && offset == 0 && buffer.array().length == length) {
            source = buffer.array(); // a value kept as its own array (the Kafka backend's)
        } else {
            if (exact.length != length) {
                exact = new byte[length];
            }
            buffer.get(offset, exact, 0, length); // absolute: the buffer's position stays
            source = exact;
        }
        if (encoded.length < size) {
            encoded = new byte[Math.max(size, 2 * encoded.length)];
        }
        out[position++] = '"';
        int written = BASE64.encode(source, encoded);
        System.arraycopy(encoded, 0, out, position, written);
        position += written;
        out[position++] = '"';
    }

    /** The decimal digits of {@code value} (and its minus sign). */
    private static int digits(long value) {
        if (value < 0) {
            return value == Long.MIN_VALUE ? 20 : 1 + digits(-value);
        }
        if (value < 10) {
            return 1;
        }
        // floor(log10(2^bits)) is (bits * 1233) >>> 12 for bits < 64; one comparison corrects it.
        int estimate = ((64 - Long.numberOfLeadingZeros(value)) * 1233) >>> 12;
        return value >= POWERS_OF_TEN[estimate] ? estimate + 1 : estimate;
    }

    /** Writes {@code value}, which has {@code digits} characters (see {@link #digits}). */
    private void number(long value, int digits) {
        if (!writing) {
            position += digits;
            return;
        }
        if (value < 0) {
            if (value == Long.MIN_VALUE) {
                put(ascii(Long.toString(value)));
                return;
            }
            out[position] = '-';
            position++;
            number(-value, digits - 1);
            return;
        }
        int at = position + digits;
        position = at;
        while (value >= 100) {
            long quotient = value / 100;
            int pair = 2 * (int) (value - 100 * quotient);
            out[--at] = DIGIT_PAIRS[pair + 1];
            out[--at] = DIGIT_PAIRS[pair];
            value = quotient;
        }
        if (value >= 10) {
            int pair = 2 * (int) value;
            out[--at] = DIGIT_PAIRS[pair + 1];
            out[--at] = DIGIT_PAIRS[pair];
        } else {
            out[--at] = (byte) ('0' + value);
        }
    }

    private void put(byte[] bytes) {
        if (writing) {
            System.arraycopy(bytes, 0, out, position, bytes.length);
        }
        position += bytes.length;
    }

    private void put(byte b) {
        if (writing) {
            out[position] = b;
        }
        position++;
    }

    private static byte[] ascii(String text) {
        return Objects.requireNonNull(text).getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] digitPairs() {
        byte[] pairs = new byte[200];
        for (int i = 0; i < 100; i++) {
            pairs[2 * i] = (byte) ('0' + i / 10);
            pairs[2 * i + 1] = (byte) ('0' + i % 10);
        }
        return pairs;
    }

    private static long[] powersOfTen() {
        long[] powers = new long[19];
        powers[0] = 1;
        for (int i = 1; i < powers.length; i++) {
            powers[i] = 10 * powers[i - 1];
        }
        return powers;
    }
}
