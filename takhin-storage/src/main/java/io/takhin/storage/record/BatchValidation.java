package io.takhin.storage.record;

/**
 * What {@link RecordBatch#validate} found at a position: a whole valid batch, too few bytes to
 * tell, or bytes that are not a batch. Immutable.
 */
public sealed interface BatchValidation {
    /** A whole batch whose CRC and structure check out. */
    record Valid(long baseOffset, int sizeInBytes, int recordCount, long firstTimestampMs, long maxTimestampMs)
            implements BatchValidation {
        /** The offset of the batch's last record. */
        public long lastOffset() {
            return baseOffset + recordCount - 1;
        }

        /** The offset the next batch must start at. */
        public long nextOffset() {
            return baseOffset + recordCount;
        }
    }

    /**
     * The buffer ends before the batch does. {@code requiredBytes} is how many bytes from the batch
     * start are needed to decide; it comes from an unverified length field, so a caller reading a
     * file compares it with the file size before reading that much.
     */
    record Incomplete(int requiredBytes) implements BatchValidation {}

    /** The bytes are not a valid batch; {@code reason} says which check failed, for the log. */
    record Corrupt(String reason) implements BatchValidation {}
}
