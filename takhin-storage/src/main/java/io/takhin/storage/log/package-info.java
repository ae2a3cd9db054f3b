/**
 * Append-only, segmented partition logs, and the topics that group them.
 *
 * <h2>Glossary</h2>
 * base offset: the first offset a segment (or batch) holds; it names the segment's files. log end
 * offset: the offset the next append gets. high watermark: the offset after the last record readers
 * may see; the durable offset, or in interval-flush mode the written one. log start offset: the
 * first offset still readable; retention moves it. recovery point: the offset below which the log was
 * fsynced and verified, kept in the {@code recovery-point} file. position: a byte position in a
 * segment's {@code .log} file. active segment: the last segment, the only one appended to.
 *
 * <h2>On disk</h2>
 * <pre>
 * dataDir/
 *   clean-shutdown                     LogManager: present only between a clean close and the next open
 *   orders/                            a topic
 *     topic.properties                 partition.count=3
 *     0/                               a partition (PartitionLog.open works on such a directory alone)
 *       00000000000000000000.log       record batches, see io.takhin.storage.record.RecordBatch
 *       00000000000000000000.index     sparse (relativeOffset int32, position int32) per indexed batch
 *       00000000000000000000.timeindex sparse (timestampMs int64, relativeOffset int32), same batches
 *       00000000000000004711.log       next segment: its first batch has base offset 4711
 *       ...
 *       recovery-point                 "takhin-recovery-point 1\n&lt;offset&gt;\n", replaced atomically
 *       clean-shutdown                 standalone PartitionLog only, like the LogManager's marker
 *   ~creating-&lt;uuid&gt;/, ~deleting-&lt;uuid&gt;/ unfinished create or delete, removed at open
 * </pre>
 * A batch gets an entry in both indexes when it starts at least {@code indexIntervalBytes} after the
 * previous entry (the segment start counts as one at position 0). The CRC of a batch covers its base
 * offset and length; see {@link io.takhin.storage.record.RecordBatch}.
 *
 * <h2>Invariants</h2>
 * I1. Offsets are dense and increase by one across batches and segments: each batch starts at the
 *     offset after the previous batch, the first batch of a segment at the segment's base offset.
 * I2. Segment base offsets increase, and a segment's base offset is the offset after the last batch
 *     of the segment before it.
 * I3. Every batch below the recovery point was fsynced and has a valid CRC; every batch below the
 *     high watermark has a valid CRC (recovery validates whatever lies past the recovery point).
 * I4. Index entries are strictly increasing in offset and position, point at batch starts, and
 *     both indexes of a segment hold entries for the same batches. The files are hints without a
 *     checksum: recovery rebuilds them when they are missing or disagree with the log.
 * I5. Readers see only whole batches below the high watermark: it is published as one immutable
 *     {@code LogPosition} (offset, segment, byte position) after the bytes are written (and, unless
 *     in interval-flush mode, fsynced), and never moves back.
 * I6. An append is acknowledged only after its batch is durable (fsync mode) or written (interval
 *     mode); after a failed write or fsync nothing more is acknowledged until the log is reopened.
 * I7. Timestamps never decrease within a partition: append time is max(clock, previous append time).
 *
 * <h2>Concurrency</h2>
 * One writer per partition, serialised by the partition's write lock. Group commit is
 * leader/follower: an appender that finds no fsync in progress leads one, with the flush lock
 * released during the fsync, covering everything written so far; appenders arriving meanwhile wait
 * on the flush lock's condition and return as soon as a finished fsync covers them (one fsync
 * acknowledges every append it covered). The durable offset only moves forward. Readers never take a lock: they read the volatile high watermark and then positional
 * reads below it, over a {@code ConcurrentSkipListMap} of segments and read channels of their own.
 * {@link io.takhin.storage.log.PartitionLog#awaitAppend} futures complete on the publishing thread
 * (an appender, the interval flusher, or the thread closing the log) with no lock held; dependent
 * stages must not block. Retention and interval flushes run on one scheduler thread per LogManager
 * (a standalone log has its own).
 *
 * <h2>Failures</h2>
 * IOException is translated in PartitionLog: a failed write or fsync marks the partition failed
 * (appends throw {@link io.takhin.common.StorageException} until restart, reads still serve what was
 * durable); a failed read throws StorageException without failing the partition. FileChannel is
 * interruptible: interrupting a thread inside {@code append} closes the segment's write channel
 * and fails the partition, because the outcome of the write is then unknown and a new channel
 * could miss an earlier writeback error. An interrupt already pending when append starts is deferred
 * until it returns; callers must still not interrupt threads while they append. A reader's interrupt
 * only costs that reader its read (readers have their own channel). Recovery never throws for corrupt data: it truncates at
 * the first bad batch and reports it in a {@link io.takhin.storage.log.RecoveryReport}.
 */
@NullMarked
package io.takhin.storage.log;

import org.jspecify.annotations.NullMarked;
