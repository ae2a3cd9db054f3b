package io.takhin.storage.log;

import io.takhin.storage.record.RecordBatch;
import io.takhin.storage.record.RecordBatches;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One segment of a partition log: a {@code .log} file of record batches whose first batch starts at
 * {@link #baseOffset()}, plus its {@code .index} and {@code .timeindex} (see {@link SegmentIndex}).
 *
 * <p>Thread-safety: methods ending in {@code Locked} are guarded by the partition's write lock (the
 * single writer). {@link #flush} may run under the partition's flush lock while the writer appends
 * ({@link FileChannel#force} is thread-safe). Readers are lock-free: they read only below a published
 * {@link LogPosition} (I5), through positional reads on a read channel of their own, so that a
 * reader's interrupt, which closes the channel it was using, never closes the writer's channel. The
 * read channel is reopened under this object's monitor; size, end offset and timestamps are volatile.
 */
final class Segment {
    /** Timestamp of an empty segment. */
    static final long NO_TIMESTAMP = Long.MIN_VALUE;

    private static final int HEADER_WINDOW_BYTES = 8192;
    private static final Logger log = LoggerFactory.getLogger(Segment.class);

    private final long baseOffset;
    private final Path logFile;
    private final FileChannel writeChannel;
    private final SegmentIndex offsetIndex;
    private final SegmentIndex timeIndex;
    private final IoHooks hooks;
    private volatile FileChannel readChannel;
    private volatile int sizeBytes;
    private volatile long endOffset;
    private volatile long firstTimestampMs = NO_TIMESTAMP;
    private volatile long maxTimestampMs = NO_TIMESTAMP;
    private volatile boolean closed;
    private int lastIndexedPosition;

    private Segment(
            long baseOffset,
            Path logFile,
            FileChannel writeChannel,
            FileChannel readChannel,
            SegmentIndex offsetIndex,
            SegmentIndex timeIndex,
            IoHooks hooks) {
        this.baseOffset = baseOffset;
        this.logFile = logFile;
        this.writeChannel = writeChannel;
        this.readChannel = readChannel;
        this.offsetIndex = offsetIndex;
        this.timeIndex = timeIndex;
        this.hooks = hooks;
        this.endOffset = baseOffset;
    }

    /** Creates the files of a new, empty segment; the caller fsyncs the directory. */
    static Segment create(Path directory, long baseOffset, IoHooks hooks) throws IOException {
        for (SegmentIndex.Kind kind : SegmentIndex.Kind.values()) {
            Files.deleteIfExists(directory.resolve(Disk.segmentFileName(baseOffset, kind.suffix)));
        }
        Path logFile = logFile(directory, baseOffset);
        FileChannel writeChannel = FileChannel.open(
                logFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
        return open(directory, baseOffset, logFile, writeChannel, hooks);
    }

    /**
     * Opens an existing segment as it is on disk: the size is the file size and the indexes are
     * loaded unchecked. Recovery checks them and then calls {@link #restoreLocked}.
     */
    static Segment open(Path directory, long baseOffset, IoHooks hooks) throws IOException {
        Path logFile = logFile(directory, baseOffset);
        FileChannel writeChannel = FileChannel.open(logFile, StandardOpenOption.READ, StandardOpenOption.WRITE);
        Segment segment = open(directory, baseOffset, logFile, writeChannel, hooks);
        segment.sizeBytes = (int) Math.min(writeChannel.size(), Integer.MAX_VALUE);
        return segment;
    }

    private static Segment open(Path directory, long baseOffset, Path logFile, FileChannel writeChannel, IoHooks hooks)
            throws IOException {
        FileChannel readChannel = null;
        SegmentIndex offsetIndex = null;
        try {
            readChannel = FileChannel.open(logFile, StandardOpenOption.READ);
            offsetIndex = SegmentIndex.open(directory, baseOffset, SegmentIndex.Kind.OFFSET);
            SegmentIndex timeIndex = SegmentIndex.open(directory, baseOffset, SegmentIndex.Kind.TIME);
            return new Segment(baseOffset, logFile, writeChannel, readChannel, offsetIndex, timeIndex, hooks);
        } catch (IOException | RuntimeException e) {
            writeChannel.close();
            if (readChannel != null) {
                readChannel.close();
            }
            if (offsetIndex != null) {
                offsetIndex.close();
            }
            throw e;
        }
    }

    static Path logFile(Path directory, long baseOffset) {
        return directory.resolve(Disk.segmentFileName(baseOffset, ".log"));
    }

    /**
     * True if a batch starting at {@code position} gets an index entry: the rule is a function of
     * positions only (the segment start counts as an entry at position 0), so recovery rebuilds
     * exactly the entries the appends made (I4).
     */
    static boolean needsIndexEntry(int position, int lastIndexedPosition, int indexIntervalBytes) {
        return position > lastIndexedPosition && position - lastIndexedPosition >= indexIntervalBytes;
    }

    /**
     * Writes one encoded batch at the end of the file and indexes it. Guarded by the partition's
     * write lock. Not fsynced: see {@link #flush}.
     */
    void appendLocked(ByteBuffer batch, long batchBaseOffset, int recordCount, long timestampMs, int indexIntervalBytes)
            throws IOException {
        int position = sizeBytes;
        int batchSizeBytes = batch.remaining();
        hooks.beforeWrite(logFile);
        Disk.writeFully(writeChannel, batch, position);
        if (needsIndexEntry(position, lastIndexedPosition, indexIntervalBytes)) {
            offsetIndex.append(batchBaseOffset, position);
            timeIndex.append(timestampMs, batchBaseOffset);
            lastIndexedPosition = position;
        }
        if (position == 0) {
            firstTimestampMs = timestampMs;
        }
        maxTimestampMs = Math.max(maxTimestampMs, timestampMs);
        endOffset = batchBaseOffset + recordCount;
        sizeBytes = position + batchSizeBytes;
    }

    /** Sets what recovery found; guarded by the partition's write lock (or before the log is shared). */
    void restoreLocked(
            int sizeBytes, long endOffset, long firstTimestampMs, long maxTimestampMs, int lastIndexedPosition) {
        this.sizeBytes = sizeBytes;
        this.endOffset = endOffset;
        this.firstTimestampMs = firstTimestampMs;
        this.maxTimestampMs = maxTimestampMs;
        this.lastIndexedPosition = lastIndexedPosition;
    }

    /** Cuts the file at {@code position} and fsyncs; recovery only. */
    void truncateLocked(int position) throws IOException {
        writeChannel.truncate(position);
        writeChannel.force(true);
        sizeBytes = position;
    }

    /** Fsyncs the .log file (data and size). */
    void flush() throws IOException {
        hooks.beforeFsync(logFile);
        writeChannel.force(true);
    }

    /** Fsyncs the .log file and both indexes; on roll and close. */
    void flushAll() throws IOException {
        flush();
        offsetIndex.flush();
        timeIndex.flush();
    }

    /**
     * A positional read that survives other readers' interrupts: an interrupt closes the channel the
     * interrupted thread was reading from, so the channel is reopened for everyone else, and a reader
     * that finds it closed retries once on the new one.
     */
    int read(ByteBuffer target, long position) throws IOException {
        FileChannel channel = readChannel;
        try {
            return channel.read(target, position);
        } catch (ClosedByInterruptException e) {
            reopenReadChannel(channel);
            throw e;
        } catch (ClosedChannelException e) {
            if (closed) {
                throw e;
            }
            return reopenReadChannel(channel).read(target, position);
        }
    }

    private synchronized FileChannel reopenReadChannel(FileChannel broken) throws IOException {
        if (closed) {
            throw new ClosedChannelException();
        }
        if (readChannel == broken) {
            readChannel = FileChannel.open(logFile, StandardOpenOption.READ);
        }
        return readChannel;
    }

    /**
     * Where the batch holding {@code offset} (or the first batch after it) starts, looking only
     * below {@code limitPosition}; null if no such batch starts there.
     */
    @Nullable
    BatchLocation locate(long offset, int limitPosition) throws IOException {
        BatchCursor cursor = cursorAtOrBefore(offset, limitPosition);
        while (!cursor.atEnd()) {
            BatchCursor.BatchHeader header = cursor.header();
            if (!header.present()) {
                throw new IllegalStateException(
                        "no batch at position " + cursor.position() + " of " + logFile + " below the high watermark");
            }
            if (header.nextOffset() > offset) {
                return new BatchLocation((int) cursor.position(), header.sizeBytes());
            }
            cursor.advance(header.sizeBytes());
        }
        return null;
    }

    /**
     * A cursor at the start of the batch holding {@code offset} or an earlier one, found through the
     * offset index. The entry is checked against the batch header it points at, one read the walk
     * needs anyway: index files carry no checksum and recovery checks trusted ones only for
     * plausibility (I4), so an entry that does not hold up sends the walk to the segment start.
     */
    private BatchCursor cursorAtOrBefore(long offset, int limitPosition) throws IOException {
        IndexEntries offsets = offsetIndex.entries();
        int entry = offsets.floor(offset);
        if (entry >= 0 && offsets.value(entry) < limitPosition) {
            BatchCursor cursor = new BatchCursor(this, offsets.value(entry), limitPosition, HEADER_WINDOW_BYTES);
            BatchCursor.BatchHeader header = cursor.header();
            if (header.present() && header.baseOffset() == offsets.key(entry)) {
                return cursor;
            }
            log.warn(
                    "Index entry {} of {} (offset {}, position {}) does not point at its batch; walking from the"
                            + " segment start",
                    entry,
                    offsetIndex.file(),
                    offsets.key(entry),
                    offsets.value(entry));
        }
        return new BatchCursor(this, 0, limitPosition, HEADER_WINDOW_BYTES);
    }

    /** Position and size of one batch in a segment file. Immutable. */
    record BatchLocation(int position, int sizeBytes) {}

    /**
     * Whole batches from the one holding {@code fromOffset}, up to {@code maxBytes} but at least
     * one batch, all below {@code limitPosition}; null if the segment has no such batch.
     */
    @Nullable
    ByteBuffer readBatches(long fromOffset, int maxBytes, int limitPosition) throws IOException {
        BatchLocation first = locate(fromOffset, limitPosition);
        if (first == null) {
            return null;
        }
        int toRead = Math.max(first.sizeBytes(), Math.min(maxBytes, limitPosition - first.position()));
        ByteBuffer buffer = ByteBuffer.allocate(toRead);
        long filePosition = first.position();
        while (buffer.hasRemaining()) {
            int read = read(buffer, filePosition);
            if (read < 0) {
                throw new IllegalStateException("file " + logFile + " ends at " + filePosition
                        + ", below the high watermark's position " + limitPosition);
            }
            filePosition += read;
        }
        buffer.flip();
        int end = first.sizeBytes();
        while (toRead - end >= RecordBatch.LOG_OVERHEAD && RecordBatch.sizeInBytes(buffer, end) <= toRead - end) {
            end += RecordBatch.sizeInBytes(buffer, end);
        }
        return buffer.limit(end);
    }

    /**
     * The first offset below {@code limitPosition} whose timestamp is &gt;= {@code timestampMs}, or -1.
     * Starts at the last time index entry below the timestamp: timestamps never decrease within a
     * partition, so no earlier batch can qualify.
     */
    long offsetForTimestamp(long timestampMs, int limitPosition) throws IOException {
        IndexEntries times = timeIndex.entries();
        int timeEntry = timestampMs == Long.MIN_VALUE ? -1 : times.floor(timestampMs - 1);
        BatchCursor cursor = timeEntry < 0
                ? new BatchCursor(this, 0, limitPosition, HEADER_WINDOW_BYTES)
                : cursorAtOrBefore(times.value(timeEntry), limitPosition);
        while (!cursor.atEnd()) {
            BatchCursor.BatchHeader header = cursor.header();
            if (!header.present()) {
                throw new IllegalStateException("no batch at position " + cursor.position() + " of " + logFile);
            }
            if (header.maxTimestampMs() >= timestampMs) {
                if (header.firstTimestampMs() >= timestampMs) {
                    return header.baseOffset();
                }
                return firstOffsetInBatch(cursor, header, timestampMs);
            }
            cursor.advance(header.sizeBytes());
        }
        return -1;
    }

    private static long firstOffsetInBatch(BatchCursor cursor, BatchCursor.BatchHeader header, long timestampMs)
            throws IOException {
        cursor.ensure(header.sizeBytes());
        ByteBuffer batch = cursor.window().slice(cursor.windowOffset(), header.sizeBytes());
        long[] found = {header.nextOffset() - 1};
        RecordBatches.forEach(batch, header.baseOffset(), record -> {
            if (record.timestampMs() >= timestampMs) {
                found[0] = record.offset();
                return false;
            }
            return true;
        });
        return found[0];
    }

    long baseOffset() {
        return baseOffset;
    }

    /** Bytes in the file that belong to the log; final once the segment is no longer active. */
    int sizeBytes() {
        return sizeBytes;
    }

    /** The offset after the segment's last batch; its base offset when empty. */
    long endOffset() {
        return endOffset;
    }

    long firstTimestampMs() {
        return firstTimestampMs;
    }

    long maxTimestampMs() {
        return maxTimestampMs;
    }

    int lastIndexedPosition() {
        return lastIndexedPosition;
    }

    SegmentIndex offsetIndex() {
        return offsetIndex;
    }

    SegmentIndex timeIndex() {
        return timeIndex;
    }

    Path logFile() {
        return logFile;
    }

    long fileSizeBytes() throws IOException {
        return writeChannel.size();
    }

    boolean isClosed() {
        return closed;
    }

    /** Closes every channel; reads in flight fail with {@link ClosedChannelException}. */
    void close() throws IOException {
        synchronized (this) {
            closed = true;
        }
        IOException failure = null;
        for (AutoCloseableIo closeable : new AutoCloseableIo[] {
            writeChannel::close, () -> readChannel.close(), offsetIndex::close, timeIndex::close
        }) {
            try {
                closeable.close();
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Closes and deletes the three files; the caller fsyncs the directory. */
    void delete() throws IOException {
        close();
        Files.deleteIfExists(logFile);
        Files.deleteIfExists(offsetIndex.file());
        Files.deleteIfExists(timeIndex.file());
    }

    @FunctionalInterface
    private interface AutoCloseableIo {
        void close() throws IOException;
    }

    @Override
    public String toString() {
        return "Segment[" + logFile.getFileName() + ", sizeBytes=" + sizeBytes + ", endOffset=" + endOffset + "]";
    }
}
