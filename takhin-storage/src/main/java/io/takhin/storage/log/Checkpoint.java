package io.takhin.storage.log;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The partition's recovery point: the offset below which the log was fsynced and verified (I3),
 * so recovery after a crash scans only from the segment holding it. Written atomically (temp file,
 * fsync, rename, directory fsync) on roll, after recovery and on close. Stateless.
 *
 * <p>File {@code recovery-point}, UTF-8 text: a format line {@code takhin-recovery-point 1} and the
 * offset on the second line.
 */
final class Checkpoint {
    static final String FILE_NAME = "recovery-point";
    private static final String FORMAT_LINE = "takhin-recovery-point 1";
    private static final Logger log = LoggerFactory.getLogger(Checkpoint.class);

    private Checkpoint() {}

    static void write(Path directory, long recoveryPointOffset) throws IOException {
        String content = FORMAT_LINE + "\n" + recoveryPointOffset + "\n";
        Disk.writeAtomically(directory.resolve(FILE_NAME), content.getBytes(UTF_8));
    }

    /** The recovery point, or empty if the file is missing or unreadable (then everything is scanned). */
    static OptionalLong read(Path directory) throws IOException {
        Path file = directory.resolve(FILE_NAME);
        String content;
        try {
            content = Files.readString(file, UTF_8);
        } catch (NoSuchFileException e) {
            return OptionalLong.empty();
        } catch (java.nio.charset.CharacterCodingException e) {
            log.warn("Recovery point file {} is not UTF-8; scanning the whole log", file);
            return OptionalLong.empty();
        }
        String[] lines = content.split("\n", -1);
        if (lines.length >= 2 && lines[0].equals(FORMAT_LINE)) {
            try {
                long offset = Long.parseLong(lines[1].trim());
                if (offset >= 0) {
                    return OptionalLong.of(offset);
                }
            } catch (NumberFormatException e) {
                // Falls through to the warning: a garbled checkpoint only costs a longer scan.
            }
        }
        log.warn("Recovery point file {} is garbled; scanning the whole log", file);
        return OptionalLong.empty();
    }
}
