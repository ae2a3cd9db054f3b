/**
 * The record batch: the unit the log writes, checksums, recovers and serves.
 *
 * <p>A batch is encoded once, when it is appended, and its bytes are never rewritten: the log
 * stores them, recovery validates them and the HTTP layer decodes consumer responses straight from
 * them. So the format is fixed-width and big-endian (no varints): decoding speed matters more than
 * a few bytes per record.
 *
 * <h2>Glossary</h2>
 * batch: the bytes of one append, with one header and one CRC. record: one key/value/headers entry
 * inside a batch. base offset: the offset of a batch's first record; a record's offset is the base
 * offset plus its offset delta. batch size: {@link io.takhin.storage.record.RecordBatch#LOG_OVERHEAD}
 * plus the batch length field.
 *
 * <h2>Format</h2>
 * <pre>
 * batch:  baseOffset int64 | batchLength int32 (bytes after this field) | crc uint32 |
 *         magic int8 (=1) | attributes int8 (=0) | recordCount int32 |
 *         firstTimestampMs int64 | maxTimestampMs int64 | records...
 * record: recordLength int32 (bytes after this field) | offsetDelta int32 | timestampDeltaMs int32 |
 *         keyLength int32 (-1 = null) | key | valueLength int32 (-1 = null) | value |
 *         headerCount int32 | headers: (keyLength int32 | key utf8 | valueLength int32 | value)*
 * </pre>
 * The crc is CRC32C over the first twelve bytes (baseOffset and batchLength) and every byte after
 * the crc field. See {@link io.takhin.storage.record.RecordBatch} for why it covers the offset and
 * the length.
 *
 * <h2>Invariants</h2>
 * R1. A batch holds at least one record; record i has offset delta i, so the offsets of a batch are
 *     dense: baseOffset .. baseOffset + recordCount - 1.
 * R2. The records of a batch fill it exactly: the last record ends where batchLength says the
 *     batch ends.
 * R3. firstTimestampMs &lt;= firstTimestampMs + timestampDeltaMs &lt;= maxTimestampMs for every record.
 * R4. A batch that {@link io.takhin.storage.record.RecordBatch#validate} calls valid satisfies R1 to R3
 *     and its CRC matches, so {@link io.takhin.storage.record.RecordBatches} may decode it without
 *     bounds checks beyond those of the buffer.
 *
 * <h2>Concurrency</h2>
 * Everything here is stateless or confined to one thread: the encoder writes into a buffer the
 * caller owns, {@link io.takhin.storage.record.RecordView} is a flyweight valid only inside one
 * visitor call.
 *
 * <h2>Failures</h2>
 * Validation never throws for bad bytes: it returns {@link io.takhin.storage.record.BatchValidation}.
 * Decoding bytes that were not validated (or a buffer cut in the middle of a batch) throws
 * {@link java.lang.IllegalArgumentException}: the log only ever hands out whole, validated batches.
 */
@NullMarked
package io.takhin.storage.record;

import org.jspecify.annotations.NullMarked;
