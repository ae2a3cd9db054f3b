package io.takhin.storage.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One sparse index of a segment: an in-memory sorted array plus an append-only file. Kind
 * {@link Kind#OFFSET} ({@code .index}) maps a batch's base offset to its byte position in the
 * segment; kind {@link Kind#TIME} ({@code .timeindex}) maps the same batch's timestamp to its base
 * offset. Both get an entry for the same batches, so their offsets agree. The files have no
 * checksum: they are hints, checked and rebuilt from the log at open (I4).
 *
 * <p>On disk, big-endian, offsets relative to the segment's base offset: OFFSET entries are
 * (relativeOffset int32, position int32), TIME entries (timestampMs int64, relativeOffset int32).
 *
 * <p>Thread-safety: {@link #append} and {@link #replaceWith} are guarded by the partition's write
 * lock (or run in recovery before the log is shared); lookups are lock-free through
 * {@link IndexEntries}.
 */
final class SegmentIndex {
    enum Kind {
        OFFSET(".index", 8),
        TIME(".timeindex", 12);

        final String suffix;
        final int entrySizeBytes;

        Kind(String suffix, int entrySizeBytes) {
            this.suffix = suffix;
            this.entrySizeBytes = entrySizeBytes;
        }
    }

    private final Kind kind;
    private final Path file;
    private final long baseOffset;
    private final FileChannel channel;
    private final IndexEntries entries = new IndexEntries();
    private boolean partialEntryOnDisk;
    private boolean missingOnOpen;

    private SegmentIndex(Kind kind, Path file, long baseOffset, FileChannel channel) {
        this.kind = kind;
        this.file = file;
        this.baseOffset = baseOffset;
        this.channel = channel;
    }

    /** Opens (creating if absent) the index file and loads its entries as they are, unchecked. */
    static SegmentIndex open(Path directory, long baseOffset, Kind kind) throws IOException {
        Path file = directory.resolve(Disk.segmentFileName(baseOffset, kind.suffix));
        boolean missing = !Files.exists(file);
        FileChannel channel =
                FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        SegmentIndex index = new SegmentIndex(kind, file, baseOffset, channel);
        try {
            index.missingOnOpen = missing;
            index.load();
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        return index;
    }

    private void load() throws IOException {
        long sizeBytes = channel.size();
        if (sizeBytes > Integer.MAX_VALUE) {
            partialEntryOnDisk = true;
            return;
        }
        partialEntryOnDisk = sizeBytes % kind.entrySizeBytes != 0;
        ByteBuffer buffer = ByteBuffer.allocate((int) (sizeBytes - sizeBytes % kind.entrySizeBytes));
        Disk.readFully(channel, buffer, 0);
        buffer.flip();
        while (buffer.hasRemaining()) {
            if (kind == Kind.OFFSET) {
                entries.append(baseOffset + buffer.getInt(), buffer.getInt());
            } else {
                long timestampMs = buffer.getLong();
                entries.append(timestampMs, baseOffset + buffer.getInt());
            }
        }
    }

    /** Adds an entry in memory and at the end of the file; not fsynced (see {@link #flush}). */
    void append(long key, long value) throws IOException {
        ByteBuffer entry = ByteBuffer.allocate(kind.entrySizeBytes);
        encode(entry, key, value);
        Disk.writeFully(channel, entry.flip(), (long) entries.count() * kind.entrySizeBytes);
        entries.append(key, value);
    }

    private void encode(ByteBuffer target, long key, long value) {
        if (kind == Kind.OFFSET) {
            target.putInt(Math.toIntExact(key - baseOffset)).putInt(Math.toIntExact(value));
        } else {
            target.putLong(key).putInt(Math.toIntExact(value - baseOffset));
        }
    }

    /** Rewrites memory and file with {@code computed} and fsyncs; recovery only. */
    void replaceWith(IndexEntries computed) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(computed.count() * kind.entrySizeBytes);
        entries.clear();
        for (int i = 0; i < computed.count(); i++) {
            encode(buffer, computed.key(i), computed.value(i));
            entries.append(computed.key(i), computed.value(i));
        }
        channel.truncate(0);
        Disk.writeFully(channel, buffer.flip(), 0);
        channel.force(true);
        partialEntryOnDisk = false;
        missingOnOpen = false;
    }

    /**
     * Cheap structural check of the loaded entries against the segment size: whole entries only,
     * keys and values in order and in range. Passing it does not prove the entries point at batches.
     */
    boolean plausible(int segmentSizeBytes) {
        if (partialEntryOnDisk || missingOnOpen) {
            return false;
        }
        int count = entries.count();
        for (int i = 0; i < count; i++) {
            long key = entries.key(i);
            long value = entries.value(i);
            boolean inRange = kind == Kind.OFFSET
                    ? key > baseOffset && value > 0 && value < segmentSizeBytes
                    : value > baseOffset;
            if (!inRange) {
                return false;
            }
            if (i > 0) {
                boolean keyInOrder = kind == Kind.OFFSET ? key > entries.key(i - 1) : key >= entries.key(i - 1);
                if (!keyInOrder || value <= entries.value(i - 1)) {
                    return false;
                }
            }
        }
        return true;
    }

    IndexEntries entries() {
        return entries;
    }

    Path file() {
        return file;
    }

    long fileSizeBytes() throws IOException {
        return channel.size();
    }

    void flush() throws IOException {
        channel.force(true);
    }

    void close() throws IOException {
        channel.close();
    }
}
