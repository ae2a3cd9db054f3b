package io.takhin.coordinator;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.takhin.common.TopicPartition;
import java.nio.ByteBuffer;
import org.jspecify.annotations.Nullable;

/**
 * Encodes {@link OffsetRecord}s as the key and value of a log record, and the entries of a
 * snapshot. The format is in the package documentation; all integers are big-endian. Stateless.
 */
final class OffsetRecordCodec {
    /** The version byte that starts every key and value this code writes. */
    static final byte VERSION = 1;

    private static final int VALUE_SIZE = 1 + 8 + 8;

    private OffsetRecordCodec() {}

    /** {@code version u8 | groupLength u16 | group | topicLength u16 | topic | partition i32}. */
    static byte[] key(OffsetKey key) {
        byte[] group = key.groupId().getBytes(UTF_8);
        byte[] topic = key.partition().topic().getBytes(UTF_8);
        ByteBuffer buffer = ByteBuffer.allocate(1 + 2 + group.length + 2 + topic.length + 4);
        buffer.put(VERSION);
        putString(buffer, group);
        putString(buffer, topic);
        buffer.putInt(key.partition().partition());
        return buffer.array();
    }

    /** {@code version u8 | committedOffset i64 | commitTimestampMs i64}; a tombstone has no value. */
    static byte @Nullable [] value(@Nullable CommittedOffset value) {
        if (value == null) {
            return null;
        }
        return ByteBuffer.allocate(VALUE_SIZE)
                .put(VERSION)
                .putLong(value.offset())
                .putLong(value.commitTimestampMs())
                .array();
    }

    /**
     * Decodes a log record.
     *
     * @throws IllegalArgumentException if the bytes are not a record of this format
     */
    static OffsetRecord decode(ByteBuffer key, @Nullable ByteBuffer value) {
        ByteBuffer keyBuffer = key.duplicate();
        checkVersion(keyBuffer.get(), "key");
        OffsetKey offsetKey = decodeKey(keyBuffer);
        if (keyBuffer.hasRemaining()) {
            throw new IllegalArgumentException(keyBuffer.remaining() + " extra bytes after an offset key");
        }
        if (value == null) {
            return OffsetRecord.tombstone(offsetKey);
        }
        ByteBuffer valueBuffer = value.duplicate();
        if (valueBuffer.remaining() != VALUE_SIZE) {
            throw new IllegalArgumentException(
                    "an offset value has " + VALUE_SIZE + " bytes, got " + valueBuffer.remaining());
        }
        checkVersion(valueBuffer.get(), "value");
        return new OffsetRecord(offsetKey, new CommittedOffset(valueBuffer.getLong(), valueBuffer.getLong()));
    }

    /** The key fields after the version byte; shared with the snapshot format. */
    static OffsetKey decodeKey(ByteBuffer buffer) {
        String group = getString(buffer);
        String topic = getString(buffer);
        int partition = buffer.getInt();
        if (partition < 0) {
            throw new IllegalArgumentException("negative partition " + partition + " in an offset key");
        }
        return new OffsetKey(group, new TopicPartition(topic, partition));
    }

    static void putString(ByteBuffer buffer, byte[] utf8) {
        if (utf8.length > 0xffff) {
            throw new IllegalArgumentException("string of " + utf8.length + " bytes does not fit a u16 length");
        }
        buffer.putShort((short) utf8.length);
        buffer.put(utf8);
    }

    static String getString(ByteBuffer buffer) {
        int length = Short.toUnsignedInt(buffer.getShort());
        byte[] bytes = new byte[length];
        buffer.get(bytes);
        return new String(bytes, UTF_8);
    }

    private static void checkVersion(byte version, String what) {
        if (version != VERSION) {
            throw new IllegalArgumentException(
                    "offset " + what + " has version " + version + ", this code reads " + VERSION);
        }
    }
}
