package io.takhin.storage.log;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.Deque;

/** File-system steps that must be done in a particular way to survive a crash. Stateless. */
final class Disk {
    private Disk() {}

    /**
     * Fsyncs a directory, so that files created, renamed or deleted in it survive a crash: on Linux
     * an fsync of the file does not make its directory entry durable.
     */
    static void fsyncDirectory(Path directory) throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    /**
     * Creates a directory and any missing parents, fsyncing the parent of each one created, so that
     * the new directory survives a crash.
     */
    static void createDirectories(Path directory) throws IOException {
        Deque<Path> missing = new ArrayDeque<>();
        for (Path path = directory.toAbsolutePath();
                path != null && !Files.isDirectory(path);
                path = path.getParent()) {
            missing.push(path);
        }
        while (!missing.isEmpty()) {
            Path path = missing.pop();
            try {
                Files.createDirectory(path);
            } catch (FileAlreadyExistsException e) {
                if (!Files.isDirectory(path)) {
                    throw e;
                }
            }
            fsyncDirectory(path.getParent());
        }
    }

    /**
     * Replaces {@code target} with {@code content} so that a crash leaves either the old or the new
     * file: write a temp file, fsync it, rename it over the target, fsync the directory.
     */
    static void writeAtomically(Path target, byte[] content) throws IOException {
        Path temp = target.resolveSibling(target.getFileName() + ".tmp");
        try (FileChannel channel = FileChannel.open(
                temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            writeFully(channel, ByteBuffer.wrap(content), 0);
            channel.force(true);
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        fsyncDirectory(target.getParent());
    }

    /** Writes all remaining bytes of {@code buffer} at {@code position}. */
    static void writeFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long filePosition = position;
        while (buffer.hasRemaining()) {
            filePosition += channel.write(buffer, filePosition);
        }
    }

    /** Fills {@code buffer} from {@code position}; throws if the file ends first. */
    static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long filePosition = position;
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer, filePosition);
            if (read < 0) {
                throw new EOFException("file ends at " + filePosition + ", " + buffer.remaining() + " bytes short");
            }
            filePosition += read;
        }
    }

    /** Deletes a file tree; a missing tree is fine. Does not fsync. */
    static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path directory, IOException error) throws IOException {
                if (error != null && !(error instanceof NoSuchFileException)) {
                    throw error;
                }
                Files.deleteIfExists(directory);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** The 20-digit zero-padded file name of a segment file, so that {@code ls} sorts by offset. */
    static String segmentFileName(long baseOffset, String suffix) {
        return String.format("%020d", baseOffset) + suffix;
    }
}
