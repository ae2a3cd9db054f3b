package io.takhin.storage.record;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.List;
import java.util.zip.CRC32C;
import org.jspecify.annotations.Nullable;

/**
 * Encodes, validates and reads the header of record batches. Stateless; thread-safe.
 *
 * <h2>Layout</h2>
 * All integers are big-endian and fixed-width; offsets below are from the batch start.
 * <pre>
 *  0 baseOffset       int64  offset of the first record
 *  8 batchLength      int32  bytes after this field (batch size = 12 + batchLength)
 * 12 crc              uint32 CRC32C, see below
 * 16 magic            int8   = 1, the format version
 * 17 attributes       int8   = 0, reserved (compression, transactions)
 * 18 recordCount      int32  at least 1
 * 22 firstTimestampMs int64  timestamp of the first record
 * 30 maxTimestampMs   int64  largest timestamp in the batch
 * 38 records          recordCount times:
 *      recordLength int32 (bytes after this field) | offsetDelta int32 | timestampDeltaMs int32 |
 *      keyLength int32 (-1 = null) | key | valueLength int32 (-1 = null) | value | headerCount int32 |
 *      headerCount times (keyLength int32 | key UTF-8 | valueLength int32 | value)
 * </pre>
 *
 * <h2>What the CRC covers, and why</h2>
 * The CRC32C covers bytes 0..11 (baseOffset and batchLength) and every byte from the magic to the
 * end of the batch: everything but itself. Kafka leaves the base offset out of its CRC so a broker
 * can reassign offsets without recomputing it; here the log assigns the offset before it encodes
 * the batch, so nothing is lost by covering it, and recovery gains two checks: a length field torn
 * or zeroed by a crash cannot send the scan to a plausible-looking but wrong batch end without the
 * CRC failing, and a batch written at the wrong place (a misdirected or stale write) carries an
 * offset the CRC vouches for, which recovery then compares with the offset it expects.
 * CRC32C is the Castagnoli polynomial, hardware-accelerated on current CPUs ({@link CRC32C}).
 */
public final class RecordBatch {
    public static final byte MAGIC = 1;
    public static final int BASE_OFFSET_OFFSET = 0;
    public static final int LENGTH_OFFSET = 8;
    public static final int CRC_OFFSET = 12;
    public static final int MAGIC_OFFSET = 16;
    public static final int ATTRIBUTES_OFFSET = 17;
    public static final int RECORD_COUNT_OFFSET = 18;
    public static final int FIRST_TIMESTAMP_OFFSET = 22;
    public static final int MAX_TIMESTAMP_OFFSET = 30;
    /** Size of the batch header: the offset of the first record. */
    public static final int HEADER_SIZE = 38;
    /** Bytes before the batch length field's count starts: baseOffset and batchLength. */
    public static final int LOG_OVERHEAD = 12;
    /** Fixed bytes of a record without key, value or headers, including its length field. */
    public static final int RECORD_OVERHEAD = 24;

    private static final int MIN_RECORD_LENGTH = RECORD_OVERHEAD - 4;
    private static final int MIN_BATCH_LENGTH = HEADER_SIZE - LOG_OVERHEAD + RECORD_OVERHEAD;

    private RecordBatch() {}

    /**
     * The largest batch, in bytes, that is encoded or accepted by {@link #validate}. Recovery reads a
     * whole batch into memory to check its CRC, so a torn length field must not make it allocate
     * gigabytes; producers are limited far below this by the HTTP layer.
     */
    public static final int MAX_BATCH_SIZE_BYTES = 64 << 20;

    /**
     * The encoded size of a batch holding {@code records}; may exceed
     * {@link #MAX_BATCH_SIZE_BYTES}, which {@link #encode} then rejects.
     */
    public static long sizeInBytes(List<AppendRecord> records) {
        long size = HEADER_SIZE;
        for (AppendRecord record : records) {
            size += recordSizeInBytes(record);
        }
        return size;
    }

    private static int checkedSizeInBytes(List<AppendRecord> records) {
        long size = sizeInBytes(records);
        if (size > MAX_BATCH_SIZE_BYTES) {
            throw new IllegalArgumentException("batch of " + records.size() + " records is " + size
                    + " bytes; the limit is " + MAX_BATCH_SIZE_BYTES);
        }
        return (int) size;
    }

    /**
     * Encodes a batch into a new heap buffer (position 0, limit at the batch end). Every record gets
     * {@code timestampMs}: the log assigns append time.
     */
    public static ByteBuffer encode(long baseOffset, long timestampMs, List<AppendRecord> records) {
        ByteBuffer buffer = ByteBuffer.allocate(checkedSizeInBytes(records));
        encodeInto(buffer, baseOffset, timestampMs, records);
        return buffer.flip();
    }

    /**
     * Encodes a batch at the buffer's position and advances the position past it; for callers that
     * reuse one buffer. The buffer needs {@link #sizeInBytes(List)} bytes remaining.
     *
     * @throws IllegalArgumentException if there are no records, the batch is larger than
     *     {@link #MAX_BATCH_SIZE_BYTES} or the buffer too small
     */
    public static void encodeInto(ByteBuffer target, long baseOffset, long timestampMs, List<AppendRecord> records) {
        if (records.isEmpty()) {
            throw new IllegalArgumentException("a batch needs at least one record");
        }
        if (baseOffset < 0) {
            throw new IllegalArgumentException("baseOffset must be >= 0, got " + baseOffset);
        }
        int size = checkedSizeInBytes(records);
        if (target.remaining() < size) {
            throw new IllegalArgumentException("batch needs " + size + " bytes, buffer has " + target.remaining());
        }
        int start = target.position();
        target.putLong(baseOffset)
                .putInt(size - LOG_OVERHEAD)
                .putInt(0) // the CRC, filled in below
                .put(MAGIC)
                .put((byte) 0)
                .putInt(records.size())
                .putLong(timestampMs)
                .putLong(timestampMs);
        for (int i = 0; i < records.size(); i++) {
            writeRecord(target, i, records.get(i));
        }
        target.putInt(start + CRC_OFFSET, computeCrc(target, start, size));
    }

    private static long recordSizeInBytes(AppendRecord record) {
        long size = RECORD_OVERHEAD + length(record.key()) + length(record.value());
        for (AppendRecord.Header header : record.headers()) {
            size += 8L + Utf8.encodedLength(header.key()) + header.value().length;
        }
        return size;
    }

    private static int length(byte @Nullable [] bytes) {
        return bytes == null ? 0 : bytes.length;
    }

    private static void writeRecord(ByteBuffer target, int offsetDelta, AppendRecord record) {
        int lengthPosition = target.position();
        target.putInt(0).putInt(offsetDelta).putInt(0);
        writeNullable(target, record.key());
        writeNullable(target, record.value());
        target.putInt(record.headers().size());
        for (AppendRecord.Header header : record.headers()) {
            int keyLengthPosition = target.position();
            target.putInt(0);
            Utf8.write(header.key(), target);
            target.putInt(keyLengthPosition, target.position() - keyLengthPosition - 4);
            target.putInt(header.value().length).put(header.value());
        }
        target.putInt(lengthPosition, target.position() - lengthPosition - 4);
    }

    private static void writeNullable(ByteBuffer target, byte @Nullable [] bytes) {
        if (bytes == null) {
            target.putInt(-1);
        } else {
            target.putInt(bytes.length).put(bytes);
        }
    }

    /**
     * Checks the batch starting at {@code position}; the bytes up to the buffer's limit are what is
     * available. Never throws for bad bytes, and does not move the buffer's position.
     */
    public static BatchValidation validate(ByteBuffer buffer, int position) {
        int available = buffer.limit() - position;
        if (available < LOG_OVERHEAD) {
            return new BatchValidation.Incomplete(LOG_OVERHEAD);
        }
        int batchLength = buffer.getInt(position + LENGTH_OFFSET);
        if (batchLength < MIN_BATCH_LENGTH || batchLength > MAX_BATCH_SIZE_BYTES - LOG_OVERHEAD) {
            return new BatchValidation.Corrupt("batch length " + batchLength + " is outside " + MIN_BATCH_LENGTH + ".."
                    + (MAX_BATCH_SIZE_BYTES - LOG_OVERHEAD));
        }
        int size = LOG_OVERHEAD + batchLength;
        if (available < size) {
            return new BatchValidation.Incomplete(size);
        }
        int storedCrc = buffer.getInt(position + CRC_OFFSET);
        int computedCrc = computeCrc(buffer, position, size);
        if (storedCrc != computedCrc) {
            return new BatchValidation.Corrupt("crc mismatch: stored " + Integer.toUnsignedString(storedCrc)
                    + ", computed " + Integer.toUnsignedString(computedCrc));
        }
        return validateHeaderAndRecords(buffer, position, size);
    }

    /**
     * Checks the batch at {@code position} of a file: reads its length, then the whole batch if the
     * file holds it. Throws only for I/O errors.
     */
    public static BatchValidation validate(FileChannel channel, long position) throws IOException {
        long available = channel.size() - position;
        if (available < LOG_OVERHEAD) {
            return new BatchValidation.Incomplete(LOG_OVERHEAD);
        }
        ByteBuffer header = ByteBuffer.allocate(LOG_OVERHEAD);
        readFully(channel, header, position);
        BatchValidation lengthCheck = validate(header, 0);
        if (!(lengthCheck instanceof BatchValidation.Incomplete incomplete) || incomplete.requiredBytes() > available) {
            return lengthCheck;
        }
        ByteBuffer batch = ByteBuffer.allocate(incomplete.requiredBytes());
        readFully(channel, batch, position);
        return validate(batch, 0);
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long filePosition = position;
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer, filePosition);
            if (read < 0) {
                throw new EOFException("end of file at " + filePosition);
            }
            filePosition += read;
        }
        buffer.flip();
    }

    private static BatchValidation validateHeaderAndRecords(ByteBuffer buffer, int position, int size) {
        byte magic = buffer.get(position + MAGIC_OFFSET);
        if (magic != MAGIC) {
            return new BatchValidation.Corrupt("magic " + magic + " is not " + MAGIC);
        }
        byte attributes = buffer.get(position + ATTRIBUTES_OFFSET);
        if (attributes != 0) {
            return new BatchValidation.Corrupt("attributes " + attributes + " are not 0");
        }
        long baseOffset = baseOffset(buffer, position);
        int recordCount = recordCount(buffer, position);
        if (baseOffset < 0 || recordCount < 1 || baseOffset > Long.MAX_VALUE - recordCount) {
            return new BatchValidation.Corrupt(
                    "base offset " + baseOffset + " or record count " + recordCount + " out of range");
        }
        long firstTimestampMs = firstTimestampMs(buffer, position);
        long maxTimestampMs = maxTimestampMs(buffer, position);
        if (maxTimestampMs < firstTimestampMs) {
            return new BatchValidation.Corrupt(
                    "max timestamp " + maxTimestampMs + " is below first timestamp " + firstTimestampMs);
        }
        String recordProblem = checkRecords(buffer, position, size, recordCount, maxTimestampMs - firstTimestampMs);
        if (recordProblem != null) {
            return new BatchValidation.Corrupt(recordProblem);
        }
        return new BatchValidation.Valid(baseOffset, size, recordCount, firstTimestampMs, maxTimestampMs);
    }

    /** Walks the records (R1 to R3); returns what is wrong, or null. */
    private static @Nullable String checkRecords(
            ByteBuffer buffer, int position, int size, int recordCount, long maxTimestampDeltaMs) {
        int end = position + size;
        int recordPosition = position + HEADER_SIZE;
        for (int i = 0; i < recordCount; i++) {
            if (end - recordPosition < 4) {
                return "record " + i + " starts past the batch end";
            }
            int recordLength = buffer.getInt(recordPosition);
            if (recordLength < MIN_RECORD_LENGTH || recordLength > end - recordPosition - 4) {
                return "record " + i + " has length " + recordLength + " outside the batch";
            }
            int recordEnd = recordPosition + 4 + recordLength;
            if (buffer.getInt(recordPosition + 4) != i) {
                return "record " + i + " has offset delta " + buffer.getInt(recordPosition + 4);
            }
            int timestampDeltaMs = buffer.getInt(recordPosition + 8);
            if (timestampDeltaMs < 0 || timestampDeltaMs > maxTimestampDeltaMs) {
                return "record " + i + " has timestamp delta " + timestampDeltaMs + " outside the batch's range";
            }
            if (!fieldsFill(buffer, recordPosition + 12, recordEnd)) {
                return "record " + i + " has key, value or header lengths that do not fill it";
            }
            recordPosition = recordEnd;
        }
        return recordPosition == end ? null : "records end at " + (recordPosition - position) + " of " + size;
    }

    /** True if key, value and headers starting at {@code position} end exactly at {@code end}. */
    private static boolean fieldsFill(ByteBuffer buffer, int position, int end) {
        int cursor = skipLengthPrefixed(buffer, position, end, true);
        cursor = cursor < 0 ? -1 : skipLengthPrefixed(buffer, cursor, end, true);
        if (cursor < 0 || end - cursor < 4) {
            return false;
        }
        int headerCount = buffer.getInt(cursor);
        cursor += 4;
        if (headerCount < 0 || headerCount > (end - cursor) / 8) {
            return false;
        }
        for (int i = 0; i < headerCount && cursor >= 0; i++) {
            cursor = skipLengthPrefixed(buffer, cursor, end, false);
            cursor = cursor < 0 ? -1 : skipLengthPrefixed(buffer, cursor, end, false);
        }
        return cursor == end;
    }

    private static int skipLengthPrefixed(ByteBuffer buffer, int position, int end, boolean nullable) {
        if (end - position < 4) {
            return -1;
        }
        int length = buffer.getInt(position);
        if (length < (nullable ? -1 : 0) || length > end - position - 4) {
            return -1;
        }
        return position + 4 + Math.max(length, 0);
    }

    /** CRC32C over the batch at {@code position} of {@code size} bytes, skipping the CRC field. */
    static int computeCrc(ByteBuffer buffer, int position, int size) {
        CRC32C crc = new CRC32C();
        update(crc, buffer, position, CRC_OFFSET);
        update(crc, buffer, position + MAGIC_OFFSET, size - MAGIC_OFFSET);
        return (int) crc.getValue();
    }

    private static void update(CRC32C crc, ByteBuffer buffer, int position, int length) {
        if (buffer.hasArray()) {
            crc.update(buffer.array(), buffer.arrayOffset() + position, length);
        } else {
            crc.update(buffer.slice(position, length));
        }
    }

    public static long baseOffset(ByteBuffer batches, int position) {
        return batches.getLong(position + BASE_OFFSET_OFFSET);
    }

    /** The whole batch's size: {@link #LOG_OVERHEAD} plus the batch length field. */
    public static int sizeInBytes(ByteBuffer batches, int position) {
        return LOG_OVERHEAD + batches.getInt(position + LENGTH_OFFSET);
    }

    public static int recordCount(ByteBuffer batches, int position) {
        return batches.getInt(position + RECORD_COUNT_OFFSET);
    }

    public static long lastOffset(ByteBuffer batches, int position) {
        return baseOffset(batches, position) + recordCount(batches, position) - 1;
    }

    public static long firstTimestampMs(ByteBuffer batches, int position) {
        return batches.getLong(position + FIRST_TIMESTAMP_OFFSET);
    }

    public static long maxTimestampMs(ByteBuffer batches, int position) {
        return batches.getLong(position + MAX_TIMESTAMP_OFFSET);
    }
}
