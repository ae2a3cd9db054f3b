package io.takhin.storage.record;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.nio.ByteBuffer;
import org.jspecify.annotations.Nullable;

/**
 * A flyweight over one record inside a buffer of batches, handed to a {@link RecordVisitor}. Valid
 * only during the visit: {@link RecordBatches#forEach} moves the same view to the next record.
 * Not thread-safe; confined to the visiting thread.
 *
 * <p>Keys, values and header values are available without copying, either as slices
 * ({@link #key()}) or as positions in {@link #buffer()} ({@link #keyPosition()}); the slices share
 * the batch bytes and stay valid after the visit, as long as nobody changes those bytes.
 */
public final class RecordView {
    private ByteBuffer buffer = ByteBuffer.allocate(0);
    private int recordPosition;
    private int recordLength;
    private long offset;
    private long timestampMs;
    private int keyLength;
    private int valueLength;
    private int keyPosition;
    private int valuePosition;
    private int headersPosition;

    RecordView() {}

    /** Points the view at the record whose length field is at {@code position}. */
    void moveTo(ByteBuffer batches, int position, long baseOffset, long firstTimestampMs) {
        this.buffer = batches;
        this.recordPosition = position;
        this.recordLength = batches.getInt(position);
        this.offset = baseOffset + batches.getInt(position + 4);
        this.timestampMs = firstTimestampMs + batches.getInt(position + 8);
        this.keyLength = batches.getInt(position + 12);
        this.keyPosition = position + 16;
        int valueLengthPosition = keyPosition + Math.max(keyLength, 0);
        this.valueLength = batches.getInt(valueLengthPosition);
        this.valuePosition = valueLengthPosition + 4;
        this.headersPosition = valuePosition + Math.max(valueLength, 0);
    }

    public long offset() {
        return offset;
    }

    public long timestampMs() {
        return timestampMs;
    }

    /** The record's encoded size in bytes, its length field included. */
    public int sizeInBytes() {
        return 4 + recordLength;
    }

    /** Position of the record's length field in {@link #buffer()}. */
    public int position() {
        return recordPosition;
    }

    /** The buffer of batches this view reads from; use with the position accessors. */
    public ByteBuffer buffer() {
        return buffer;
    }

    /** Key length in bytes, or -1 for a null key. */
    public int keyLength() {
        return keyLength;
    }

    /** Position of the key's first byte in {@link #buffer()}. */
    public int keyPosition() {
        return keyPosition;
    }

    /** Value length in bytes, or -1 for a null value. */
    public int valueLength() {
        return valueLength;
    }

    /** Position of the value's first byte in {@link #buffer()}. */
    public int valuePosition() {
        return valuePosition;
    }

    /** The key as a slice of the batch bytes, or null. */
    public @Nullable ByteBuffer key() {
        return keyLength < 0 ? null : buffer.slice(keyPosition, keyLength);
    }

    /** The value as a slice of the batch bytes, or null. */
    public @Nullable ByteBuffer value() {
        return valueLength < 0 ? null : buffer.slice(valuePosition, valueLength);
    }

    /** A copy of the key, or null. */
    public byte @Nullable [] keyBytes() {
        return copy(keyPosition, keyLength);
    }

    /** A copy of the value, or null. */
    public byte @Nullable [] valueBytes() {
        return copy(valuePosition, valueLength);
    }

    private byte @Nullable [] copy(int position, int length) {
        if (length < 0) {
            return null;
        }
        byte[] bytes = new byte[length];
        buffer.get(position, bytes);
        return bytes;
    }

    public int headerCount() {
        return buffer.getInt(headersPosition);
    }

    /** The key of header {@code index} (0-based), decoded from UTF-8. */
    public String headerKey(int index) {
        int position = headerPosition(index);
        int length = buffer.getInt(position);
        if (buffer.hasArray()) {
            return new String(buffer.array(), buffer.arrayOffset() + position + 4, length, UTF_8);
        }
        byte[] bytes = new byte[length];
        buffer.get(position + 4, bytes);
        return new String(bytes, UTF_8);
    }

    /** The value of header {@code index} (0-based) as a slice of the batch bytes. */
    public ByteBuffer headerValue(int index) {
        int keyLengthPosition = headerPosition(index);
        int valueLengthPosition = keyLengthPosition + 4 + buffer.getInt(keyLengthPosition);
        return buffer.slice(valueLengthPosition + 4, buffer.getInt(valueLengthPosition));
    }

    /** Position of header {@code index}'s key length field; headers are walked, they have no table. */
    private int headerPosition(int index) {
        int count = headerCount();
        if (index < 0 || index >= count) {
            throw new IndexOutOfBoundsException("header " + index + " of " + count);
        }
        int position = headersPosition + 4;
        for (int i = 0; i < index; i++) {
            position += 4 + buffer.getInt(position);
            position += 4 + buffer.getInt(position);
        }
        return position;
    }

    @Override
    public String toString() {
        return "RecordView[offset=" + offset + ", timestampMs=" + timestampMs + ", keyLength=" + keyLength
                + ", valueLength=" + valueLength + ", headerCount=" + headerCount() + "]";
    }
}
