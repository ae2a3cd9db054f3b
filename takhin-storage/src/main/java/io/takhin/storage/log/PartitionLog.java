package io.takhin.storage.log;

import io.takhin.common.ErrorCode;
import io.takhin.common.StorageException;
import io.takhin.common.TakhinException;
import io.takhin.common.Time;
import io.takhin.common.TopicPartition;
import io.takhin.storage.record.AppendRecord;
import io.takhin.storage.record.RecordBatch;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log of one partition: appends batches durably, serves them to readers, rolls segments,
 * enforces retention. See the package documentation for the on-disk layout and invariants.
 *
 * <p>Thread-safety: thread-safe. Appends, rolls and retention are serialised by {@code writeLock}
 * (one writer); {@code flushLock} elects the fsync leader, which fsyncs with the lock released so
 * that appends arriving meanwhile wait for it and are released by the next fsync that covers them
 * (group commit, see awaitDurable). Readers take no lock: they read the
 * volatile {@link LogPosition} high watermark and then the segments below it (I5). The log end,
 * durable and high-watermark positions are volatile references to immutable snapshots, each
 * written only by the holder of the lock named at its field.
 */
public final class PartitionLog implements AutoCloseable {
    /** Marker a standalone log writes on clean close; its presence at open skips the scan. */
    static final String CLEAN_SHUTDOWN_FILE = "clean-shutdown";

    private static final Logger log = LoggerFactory.getLogger(PartitionLog.class);
    private static final int REUSED_BUFFER_MAX_BYTES = 1 << 20;

    private final Path directory;
    private final TopicPartition topicPartition;
    private final LogConfig config;
    private final Time time;
    private final IoHooks hooks;
    private final boolean managed;
    private final RecoveryReport recoveryReport;
    private final ConcurrentSkipListMap<Long, Segment> segments = new ConcurrentSkipListMap<>();
    private final ReentrantLock writeLock = new ReentrantLock();
    private final ReentrantLock flushLock = new ReentrantLock();
    /** Signalled when a leader's fsync ends (see awaitDurable). */
    private final Condition flushDone = flushLock.newCondition();
    /** A leader is fsyncing outside flushLock. Guarded by flushLock. */
    private boolean flushing;

    private final AppendNotifier notifier;
    private final LogReader reader;
    private final AtomicLong fsyncCount = new AtomicLong();
    private final List<ScheduledFuture<?>> scheduledTasks = new CopyOnWriteArrayList<>();
    private volatile @Nullable ScheduledExecutorService ownScheduler;

    /** Everything written; changed by the writeLock holder. */
    private volatile LogPosition logEnd;
    /** Everything fsynced; changed by the flushLock holder. */
    private volatile LogPosition durable;
    /** What readers may see: {@link #durable}, or {@link #logEnd} in interval-flush mode. */
    private volatile LogPosition highWatermark;

    private volatile long logStartOffset;
    private volatile boolean failed;
    private volatile boolean closed;
    private volatile boolean closedCleanly;
    /** Guarded by writeLock. */
    private long lastTimestampMs;
    /** Guarded by writeLock; reused for batches up to {@link #REUSED_BUFFER_MAX_BYTES}. */
    private ByteBuffer encodeBuffer = ByteBuffer.allocate(0);

    /** How a log is opened: by itself, or by a {@link LogManager} that owns marker and scheduler. */
    record Options(
            boolean managed,
            boolean cleanShutdown,
            IoHooks hooks,
            @Nullable ScheduledExecutorService scheduler) {
        static Options standalone(IoHooks hooks) {
            return new Options(false, false, hooks, null);
        }
    }

    private PartitionLog(
            Path directory,
            TopicPartition topicPartition,
            LogConfig config,
            Time time,
            Options options,
            Recovery.Result recovered) {
        this.directory = directory;
        this.topicPartition = topicPartition;
        this.config = config;
        this.time = time;
        this.hooks = options.hooks();
        this.managed = options.managed();
        this.recoveryReport = recovered.report();
        for (Segment segment : recovered.segments()) {
            segments.put(segment.baseOffset(), segment);
            lastTimestampMs = Math.max(lastTimestampMs, segment.maxTimestampMs());
        }
        Segment active = recovered.segments().getLast();
        this.logEnd = new LogPosition(active.endOffset(), active.baseOffset(), active.sizeBytes());
        this.durable = logEnd;
        this.highWatermark = logEnd;
        this.logStartOffset = segments.firstKey();
        this.notifier = new AppendNotifier(() -> highWatermark.offset());
        this.reader = new LogReader(this, segments);
    }

    /**
     * Opens (creating if absent) the log in {@code directory}, recovering it if it was not closed
     * cleanly. A log opened this way keeps its own clean-shutdown marker in the directory and runs
     * its scheduled tasks (retention, interval flush) on a thread of its own.
     *
     * @throws StorageException if the directory cannot be read or written
     */
    public static PartitionLog open(Path directory, TopicPartition topicPartition, LogConfig config, Time time) {
        return open(directory, topicPartition, config, time, Options.standalone(IoHooks.NONE));
    }

    static PartitionLog open(
            Path directory, TopicPartition topicPartition, LogConfig config, Time time, Options options) {
        try {
            Disk.createDirectories(directory);
            Path marker = directory.resolve(CLEAN_SHUTDOWN_FILE);
            boolean markerFound = Files.deleteIfExists(marker);
            if (markerFound) {
                // Durable before the first append: a crash from now on must not skip the scan.
                Disk.fsyncDirectory(directory);
            }
            boolean cleanShutdown = options.managed() ? options.cleanShutdown() : markerFound;
            Recovery.Result recovered = Recovery.run(directory, topicPartition, config, cleanShutdown, options.hooks());
            PartitionLog partitionLog = new PartitionLog(directory, topicPartition, config, time, options, recovered);
            partitionLog.schedule(options.scheduler());
            return partitionLog;
        } catch (IOException e) {
            throw new StorageException(
                    "cannot open the log of partition " + topicPartition + " in " + directory + ": " + e.getMessage(),
                    e);
        }
    }

    private void schedule(@Nullable ScheduledExecutorService sharedScheduler) {
        boolean retention = config.retentionBytes() >= 0 || config.retentionMs() >= 0;
        if (!retention && !config.intervalFlush()) {
            return;
        }
        ScheduledExecutorService scheduler = sharedScheduler;
        if (scheduler == null) {
            scheduler = StorageThreads.scheduler("takhin-log-" + topicPartition);
            ownScheduler = scheduler;
        }
        if (config.intervalFlush()) {
            long intervalMs = config.flushIntervalMs();
            scheduledTasks.add(scheduler.scheduleWithFixedDelay(
                    this::scheduledFlush, intervalMs, intervalMs, TimeUnit.MILLISECONDS));
        }
        if (retention) {
            long intervalMs = config.retentionCheckIntervalMs();
            scheduledTasks.add(scheduler.scheduleWithFixedDelay(
                    this::scheduledRetention, intervalMs, intervalMs, TimeUnit.MILLISECONDS));
        }
    }

    /**
     * Appends the records as one batch and returns once they are durable: fsynced (I3), or, in
     * interval-flush mode, written. Every record gets the same append time, taken from the clock
     * but never below the previous append's, so timestamps never decrease.
     *
     * @throws IllegalArgumentException if {@code records} is empty
     * @throws TakhinException with {@code PAYLOAD_TOO_LARGE} if the batch would be larger than
     *     {@link RecordBatch#MAX_BATCH_SIZE_BYTES}
     * @throws StorageException if the log is closed or failed, or the write or fsync fails (then the
     *     log is failed: it refuses appends until reopened, and this append is not acknowledged)
     */
    public AppendResult append(List<AppendRecord> records) {
        // FileChannel is interruptible: an interrupt pending when the write or fsync starts would
        // close the channel and fail the partition. Defer it to after the append instead; one that
        // arrives during the I/O still fails the partition (see the package documentation).
        boolean interrupted = Thread.interrupted();
        try {
            return appendUninterrupted(records);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private AppendResult appendUninterrupted(List<AppendRecord> records) {
        if (records.isEmpty()) {
            throw new IllegalArgumentException("records must not be empty");
        }
        long encodedSizeBytes = RecordBatch.sizeInBytes(records);
        if (encodedSizeBytes > RecordBatch.MAX_BATCH_SIZE_BYTES) {
            throw new TakhinException(
                    ErrorCode.PAYLOAD_TOO_LARGE,
                    "the records encode to " + encodedSizeBytes + " bytes; the limit per append is "
                            + RecordBatch.MAX_BATCH_SIZE_BYTES + " bytes");
        }
        int batchSizeBytes = (int) encodedSizeBytes;
        AppendResult result;
        CompletableFuture<Void> published = null;
        writeLock.lock();
        try {
            ensureWritable();
            long timestampMs = Math.max(time.wallClockMs(), lastTimestampMs);
            long baseOffset = logEnd.offset();
            ByteBuffer batch = encodeLocked(baseOffset, timestampMs, records, batchSizeBytes);
            Segment segment = maybeRollLocked(batchSizeBytes, timestampMs, baseOffset, records.size());
            segment.appendLocked(batch, baseOffset, records.size(), timestampMs, config.indexIntervalBytes());
            lastTimestampMs = timestampMs;
            logEnd = new LogPosition(baseOffset + records.size(), segment.baseOffset(), segment.sizeBytes());
            result = new AppendResult(baseOffset, baseOffset + records.size() - 1, timestampMs);
            if (config.intervalFlush()) {
                highWatermark = logEnd;
                published = notifier.swap();
            }
        } catch (IOException e) {
            throw fail(e, "write");
        } finally {
            writeLock.unlock();
        }
        if (published != null) {
            published.complete(null);
        } else {
            awaitDurable(result.lastOffset() + 1);
        }
        return result;
    }

    /** Encodes into the reused buffer when the batch fits. Guarded by writeLock. */
    private ByteBuffer encodeLocked(long baseOffset, long timestampMs, List<AppendRecord> records, int sizeBytes) {
        ByteBuffer buffer = encodeBuffer;
        if (sizeBytes > buffer.capacity()) {
            buffer = ByteBuffer.allocate(sizeBytes);
            if (sizeBytes <= REUSED_BUFFER_MAX_BYTES) {
                encodeBuffer = buffer;
            }
        }
        buffer.clear().limit(sizeBytes);
        RecordBatch.encodeInto(buffer, baseOffset, timestampMs, records);
        return buffer.flip();
    }

    /** Rolls when the batch would overfill the active segment, it is too old, or offsets overflow. */
    private Segment maybeRollLocked(int batchSizeBytes, long timestampMs, long baseOffset, int recordCount)
            throws IOException {
        Segment active = segments.lastEntry().getValue();
        if (active.sizeBytes() == 0) {
            return active;
        }
        boolean full = (long) active.sizeBytes() + batchSizeBytes > config.segmentBytes();
        boolean old = timestampMs - active.firstTimestampMs() >= config.segmentMs();
        boolean relativeOffsetOverflow = baseOffset + recordCount - 1 - active.baseOffset() > Integer.MAX_VALUE;
        if (!full && !old && !relativeOffsetOverflow) {
            return active;
        }
        return rollLocked(active, baseOffset);
    }

    /**
     * Seals the active segment and starts a new one at {@code newBaseOffset}. Guarded by writeLock.
     * The old segment is fsynced first, so the recovery point can move to the new base offset.
     */
    private Segment rollLocked(Segment active, long newBaseOffset) throws IOException {
        active.flushAll();
        Segment next = Segment.create(directory, newBaseOffset, hooks);
        try {
            Disk.fsyncDirectory(directory);
        } catch (IOException e) {
            next.close();
            throw e;
        }
        segments.put(newBaseOffset, next);
        Checkpoint.write(directory, newBaseOffset);
        log.debug("{}: rolled to segment {}", topicPartition, newBaseOffset);
        return next;
    }

    /**
     * Returns once {@code endOffset} is durable. Group commit, leader/follower: the first appender
     * that finds no fsync in progress leads one, outside {@code flushLock}, covering everything
     * written so far; appenders that arrive meanwhile wait on {@code flushDone} and return as soon
     * as a finished fsync covers them, so one fsync acknowledges every append it covered.
     */
    private void awaitDurable(long endOffset) {
        if (highWatermark.offset() >= endOffset) {
            return;
        }
        CompletableFuture<Void> published = null;
        flushLock.lock();
        try {
            while (durable.offset() < endOffset) {
                if (failed || closed) {
                    throw notWritable();
                }
                if (flushing) {
                    flushDone.awaitUninterruptibly();
                } else {
                    published = leadFlushLocked();
                }
            }
        } finally {
            flushLock.unlock();
        }
        if (published != null) {
            published.complete(null);
        }
    }

    /**
     * Holding {@code flushLock} on entry and exit, fsyncs everything written so far with the lock
     * released (so followers can queue up behind this fsync and be released by it), then publishes.
     * Returns the notifier future to complete once no lock is held.
     */
    private @Nullable CompletableFuture<Void> leadFlushLocked() {
        LogPosition from = durable;
        LogPosition target = logEnd;
        flushing = true;
        flushLock.unlock();
        IOException failure = null;
        try {
            for (Segment segment : segments.subMap(from.segmentBaseOffset(), true, target.segmentBaseOffset(), true)
                    .values()) {
                flushUnlessDeleted(segment);
            }
        } catch (IOException e) {
            failure = e;
        } finally {
            flushLock.lock();
            flushing = false;
            flushDone.signalAll();
        }
        if (failure != null) {
            throw fail(failure, "fsync");
        }
        if (target.offset() <= durable.offset()) {
            return null; // I5: never move back (a flush() may have covered more meanwhile)
        }
        durable = target;
        highWatermark = target;
        return notifier.swap();
    }

    /** Waits until no leader's fsync is in progress. Guarded by flushLock. */
    private void awaitNoFlushInProgressLocked() {
        while (flushing) {
            flushDone.awaitUninterruptibly();
        }
    }

    /**
     * Fsyncs every segment written since the last flush; in fsync mode also publishes the new high
     * watermark and returns the future to complete once no lock is held. Guarded by flushLock.
     */
    private @Nullable CompletableFuture<Void> flushLocked() {
        LogPosition target = logEnd;
        if (target.equals(durable)) {
            return null;
        }
        try {
            Collection<Segment> dirty = segments.subMap(
                            durable.segmentBaseOffset(), true, target.segmentBaseOffset(), true)
                    .values();
            for (Segment segment : dirty) {
                flushUnlessDeleted(segment);
            }
        } catch (IOException e) {
            throw fail(e, "fsync");
        }
        durable = target;
        if (config.intervalFlush()) {
            return null;
        }
        highWatermark = target;
        return notifier.swap();
    }

    /**
     * Fsyncs a segment in the flush range. Retention may delete a sealed segment meanwhile (in
     * interval mode the durable position lags the readable one); that is harmless, because a roll
     * fsyncs a segment before sealing it.
     */
    private void flushUnlessDeleted(Segment segment) throws IOException {
        if (segment.isClosed()) {
            return;
        }
        try {
            segment.flush();
            fsyncCount.incrementAndGet();
        } catch (ClosedChannelException e) {
            if (!segment.isClosed()) {
                throw e;
            }
        }
    }

    /** Fsyncs everything written so far; in fsync mode appends already did, unless they failed. */
    public void flush() {
        CompletableFuture<Void> published = null;
        flushLock.lock();
        try {
            awaitNoFlushInProgressLocked();
            if (closed) {
                return;
            }
            if (failed) {
                throw notWritable();
            }
            published = flushLocked();
        } finally {
            flushLock.unlock();
        }
        if (published != null) {
            published.complete(null);
        }
    }

    private void scheduledFlush() {
        try {
            flush();
        } catch (RuntimeException e) {
            // fail() logged the cause once; the log now refuses appends, nothing more to do here.
            log.debug("{}: scheduled flush failed", topicPartition, e);
        }
    }

    /**
     * Whole batches starting with the one that holds {@code fromOffset}, from one segment, up to
     * {@code maxBytes} but at least one batch, never beyond the high watermark. Lock-free.
     *
     * @throws IllegalArgumentException if {@code maxBytes} is negative
     * @throws StorageException if the log is closed or the read fails
     */
    public ReadResult read(long fromOffset, int maxBytes) {
        return reader.read(fromOffset, maxBytes);
    }

    /**
     * The first offset whose timestamp is at or after {@code timestampMs}, or the high watermark if
     * no readable record is that recent. Lock-free.
     */
    public long offsetForTimestamp(long timestampMs) {
        return reader.offsetForTimestamp(timestampMs);
    }

    /**
     * Completes when the high watermark passes {@code offset}, that is when a record at
     * {@code offset} became readable; at once if it already is, and also when the log closes. The
     * future completes on the thread that published (an appender or the flusher) or closed the log:
     * dependent stages must not block (use the {@code *Async} variants or hand off).
     */
    public CompletableFuture<Void> awaitAppend(long offset) {
        return notifier.await(offset);
    }

    /**
     * Deletes the oldest segments past the retention limits: only sealed segments wholly below the
     * high watermark's segment, so never the active segment nor data readers cannot see yet (sealed
     * segments are durable: a roll fsyncs them). Returns how many segments went. Runs on the
     * scheduler; tests call it.
     */
    int enforceRetention() {
        List<Segment> deleted;
        writeLock.lock();
        try {
            if (closed) {
                return 0;
            }
            long logSizeBytes = 0;
            for (Segment segment : segments.values()) {
                logSizeBytes += segment.sizeBytes();
            }
            Collection<Segment> candidates =
                    segments.headMap(highWatermark.segmentBaseOffset(), false).values();
            deleted = Retention.select(candidates, logSizeBytes, config, time.wallClockMs());
            if (deleted.isEmpty()) {
                return 0;
            }
            // The log start offset moves first, so a reader never looks for a deleted segment.
            logStartOffset = segments.higherKey(deleted.getLast().baseOffset());
            for (Segment segment : deleted) {
                segments.remove(segment.baseOffset());
            }
        } finally {
            writeLock.unlock();
        }
        deleteFiles(deleted);
        return deleted.size();
    }

    private void deleteFiles(List<Segment> deleted) {
        try {
            for (Segment segment : deleted) {
                segment.delete();
            }
            Disk.fsyncDirectory(directory);
            log.info(
                    "{}: retention deleted {} segments; log start offset is now {}",
                    topicPartition,
                    deleted.size(),
                    logStartOffset);
        } catch (IOException e) {
            log.warn("{}: could not delete segment files after retention", topicPartition, e);
        }
    }

    private void scheduledRetention() {
        try {
            enforceRetention();
        } catch (RuntimeException e) {
            log.warn("{}: retention failed", topicPartition, e);
        }
    }

    /**
     * Flushes everything, writes the recovery point and (for a standalone log) the clean-shutdown
     * marker, closes the files and wakes every waiter. A failed log closes without the marker, so the
     * next open scans. Idempotent.
     */
    @Override
    public void close() {
        writeLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
        } finally {
            writeLock.unlock();
        }
        for (ScheduledFuture<?> task : scheduledTasks) {
            task.cancel(false);
        }
        if (ownScheduler != null) {
            // shutdown, not shutdownNow: an interrupt would close a channel mid-fsync and fail the log.
            ownScheduler.shutdown();
        }
        boolean clean = flushForClose();
        for (Segment segment : segments.values()) {
            try {
                segment.close();
            } catch (IOException e) {
                clean = false;
                log.warn("{}: closing {} failed", topicPartition, segment.logFile(), e);
            }
        }
        if (clean && !managed) {
            writeCleanShutdownMarker();
        }
        closedCleanly = clean;
        notifier.stop();
    }

    /** The last flush: data, indexes, recovery point. True if all of it is durable. */
    private boolean flushForClose() {
        CompletableFuture<Void> published = null;
        flushLock.lock();
        try {
            awaitNoFlushInProgressLocked();
            if (failed) {
                return false;
            }
            published = flushLocked();
            segments.lastEntry().getValue().flushAll();
            Checkpoint.write(directory, logEnd.offset());
            return true;
        } catch (IOException e) {
            fail(e, "flush on close");
            return false;
        } catch (StorageException e) {
            return false;
        } finally {
            flushLock.unlock();
            if (published != null) {
                published.complete(null);
            }
        }
    }

    private void writeCleanShutdownMarker() {
        try {
            Files.write(directory.resolve(CLEAN_SHUTDOWN_FILE), new byte[0]);
            Disk.fsyncDirectory(directory);
        } catch (IOException e) {
            log.warn("{}: could not write the clean-shutdown marker; the next open will scan", topicPartition, e);
        }
    }

    /** Marks the log failed (it refuses appends until reopened) and returns the exception to throw. */
    private StorageException fail(IOException cause, String action) {
        if (!failed) {
            failed = true;
            log.error("{}: {} failed; the partition refuses appends until restart", topicPartition, action, cause);
        }
        return new StorageException(
                "partition " + topicPartition + " failed: " + action + " failed (" + cause
                        + "); it refuses appends until restart",
                cause);
    }

    private void ensureWritable() {
        if (failed || closed) {
            throw notWritable();
        }
    }

    private StorageException notWritable() {
        return failed
                ? new StorageException(
                        "partition " + topicPartition + " failed after an I/O error; it refuses appends until restart")
                : new StorageException("partition " + topicPartition + " is closed");
    }

    public long logStartOffset() {
        return logStartOffset;
    }

    /** The offset after the last readable record: durable, or written in interval-flush mode. */
    public long highWatermark() {
        return highWatermark.offset();
    }

    /** The offset the next append gets. */
    public long logEndOffset() {
        return logEnd.offset();
    }

    public TopicPartition topicPartition() {
        return topicPartition;
    }

    /** What recovery found when this log was opened. */
    public RecoveryReport recoveryReport() {
        return recoveryReport;
    }

    public boolean isFailed() {
        return failed;
    }

    public boolean isClosed() {
        return closed;
    }

    /** True once {@link #close} made everything durable and wrote the recovery point. */
    boolean closedCleanly() {
        return closedCleanly;
    }

    /** The segments in offset order; for tests and invariant checks. */
    List<Segment> segments() {
        return new ArrayList<>(segments.values());
    }

    /** The published high watermark snapshot; for invariant checks. */
    LogPosition highWatermarkPosition() {
        return highWatermark;
    }

    /** Log fsyncs done by group commits and interval flushes (not rolls); for tests. */
    long fsyncCount() {
        return fsyncCount.get();
    }

    Path directory() {
        return directory;
    }

    LogConfig config() {
        return config;
    }

    @Override
    public String toString() {
        return "PartitionLog[" + topicPartition + ", logStartOffset=" + logStartOffset + ", highWatermark="
                + highWatermark.offset() + ", logEndOffset=" + logEnd.offset() + "]";
    }
}
