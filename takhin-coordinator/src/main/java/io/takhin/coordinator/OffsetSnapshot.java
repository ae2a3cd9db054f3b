package io.takhin.coordinator;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.takhin.common.StorageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * A snapshot file: every committed offset at the moment a log generation starts. The format is in
 * the package documentation. Written to a temporary file that is fsynced, renamed into place and
 * made durable by fsyncing the directory, so a crash leaves either no snapshot or a whole one (a torn
 * temporary file is deleted at the next start). Stateless.
 */
final class OffsetSnapshot {
    /** "TKOS": Takhin offsets snapshot. */
    static final int MAGIC = 0x544B4F53;

    static final byte FORMAT_VERSION = 1;
    static final String SUFFIX = ".snapshot";
    static final String TEMP_SUFFIX = ".snapshot.tmp";

    private static final int HEADER_SIZE = 4 + 1 + 8 + 4;
    private static final int CRC_SIZE = 4;

    private OffsetSnapshot() {}

    /** {@code snapshot-<generation, 20 digits>.snapshot}. */
    static Path file(Path dir, long generation) {
        return dir.resolve(String.format("snapshot-%020d%s", generation, SUFFIX));
    }

    static Path tempFile(Path dir, long generation) {
        return dir.resolve(String.format("snapshot-%020d%s", generation, TEMP_SUFFIX));
    }

    /** Writes and fsyncs the temporary file. A failure here leaves the store as it was. */
    static Path writeTemp(Path dir, long generation, SortedMap<OffsetKey, CommittedOffset> offsets) throws IOException {
        ByteBuffer bytes = encode(generation, offsets);
        Path temp = tempFile(dir, generation);
        try (FileChannel channel = FileChannel.open(
                temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(true);
        }
        return temp;
    }

    /** Renames the temporary file into place and fsyncs the directory: from here recovery uses it. */
    static void commit(Path dir, long generation) throws IOException {
        Files.move(tempFile(dir, generation), file(dir, generation), StandardCopyOption.ATOMIC_MOVE);
        Directories.fsync(dir);
    }

    static ByteBuffer encode(long generation, SortedMap<OffsetKey, CommittedOffset> offsets) {
        int size = HEADER_SIZE + CRC_SIZE;
        for (OffsetKey key : offsets.keySet()) {
            size += entrySize(key);
        }
        ByteBuffer buffer = ByteBuffer.allocate(size);
        buffer.putInt(MAGIC).put(FORMAT_VERSION).putLong(generation).putInt(offsets.size());
        offsets.forEach((key, value) -> {
            OffsetRecordCodec.putString(buffer, key.groupId().getBytes(UTF_8));
            OffsetRecordCodec.putString(buffer, key.partition().topic().getBytes(UTF_8));
            buffer.putInt(key.partition().partition());
            buffer.putLong(value.offset());
            buffer.putLong(value.commitTimestampMs());
        });
        CRC32C crc = new CRC32C();
        crc.update(buffer.array(), 0, buffer.position());
        buffer.putInt((int) crc.getValue());
        return buffer.flip();
    }

    private static int entrySize(OffsetKey key) {
        return 2
                + key.groupId().getBytes(UTF_8).length
                + 2
                + key.partition().topic().getBytes(UTF_8).length
                + 4
                + 8
                + 8;
    }

    /**
     * Reads a snapshot that was committed (renamed into place).
     *
     * @throws StorageException if it is unreadable, fails its CRC or names another generation: a
     *     committed snapshot was fsynced before the rename, so that is a disk fault, and starting
     *     without it would silently lose committed offsets
     */
    static SortedMap<OffsetKey, CommittedOffset> read(Path file, long generation) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new StorageException("cannot read offsets snapshot " + file, e);
        }
        try {
            return decode(ByteBuffer.wrap(bytes), generation);
        } catch (RuntimeException e) {
            throw new StorageException("offsets snapshot " + file + " is corrupt: " + e.getMessage(), e);
        }
    }

    static SortedMap<OffsetKey, CommittedOffset> decode(ByteBuffer buffer, long generation) {
        if (buffer.remaining() < HEADER_SIZE + CRC_SIZE) {
            throw new IllegalArgumentException("only " + buffer.remaining() + " bytes");
        }
        int crcPosition = buffer.limit() - CRC_SIZE;
        CRC32C crc = new CRC32C();
        crc.update(buffer.array(), 0, crcPosition);
        if ((int) crc.getValue() != buffer.getInt(crcPosition)) {
            throw new IllegalArgumentException("CRC32C mismatch");
        }
        ByteBuffer body = buffer.slice(0, crcPosition);
        if (body.getInt() != MAGIC) {
            throw new IllegalArgumentException("bad magic");
        }
        byte version = body.get();
        if (version != FORMAT_VERSION) {
            throw new IllegalArgumentException("format version " + version + ", this code reads " + FORMAT_VERSION);
        }
        long stored = body.getLong();
        if (stored != generation) {
            throw new IllegalArgumentException("it holds generation " + stored + ", its name says " + generation);
        }
        int count = body.getInt();
        SortedMap<OffsetKey, CommittedOffset> offsets = new TreeMap<>();
        for (int i = 0; i < count; i++) {
            OffsetKey key = OffsetRecordCodec.decodeKey(body);
            offsets.put(key, new CommittedOffset(body.getLong(), body.getLong()));
        }
        if (body.hasRemaining()) {
            throw new IllegalArgumentException(body.remaining() + " bytes after the last entry");
        }
        return offsets;
    }
}
