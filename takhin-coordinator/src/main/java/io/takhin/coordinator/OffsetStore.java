package io.takhin.coordinator;

import io.takhin.common.StorageException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable committed offsets: the latest snapshot plus the log generation that follows it, in
 * one directory. Keeps the current offsets in memory; compacts by writing a new snapshot and
 * starting a new, empty log generation when the current one holds more than a configured number of
 * records. Not thread-safe; confined to the coordinator thread (it is opened on the starting
 * thread, before the coordinator thread exists).
 *
 * <p>Layout of the directory:
 *
 * <pre>
 * snapshot-00000000000000000003.snapshot   every offset at the start of generation 3
 * log-00000000000000000003/                the offsets log of generation 3 (a partition log)
 * </pre>
 *
 * Generation 0 has a log and no snapshot (the empty state). Compaction from generation g to g+1:
 * (1) write {@code snapshot-(g+1).snapshot.tmp} and fsync it; (2) rename it into place and fsync the
 * directory, from which point recovery uses it; (3) open {@code log-(g+1)}; (4) close and delete
 * {@code log-g} and {@code snapshot-g}. A crash in (1) leaves a temporary file that recovery
 * deletes; a crash after (2) leaves an older generation that recovery deletes, whose records the new
 * snapshot already holds.
 */
final class OffsetStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OffsetStore.class);
    private static final Pattern SNAPSHOT = Pattern.compile("snapshot-(\\d{20})\\.snapshot");
    private static final Pattern LOG_DIR = Pattern.compile("log-(\\d{20})");

    private final Path dir;
    private final OffsetLog.Opener opener;
    private final long compactAfterRecords;
    private final SortedMap<OffsetKey, CommittedOffset> offsets = new TreeMap<>();
    private long generation;
    private OffsetLog log;
    private long recordsInLog;
    /** Set when a compaction failed half-way; appends are refused until a restart recovers. */
    private boolean failed;

    private OffsetStore(Path dir, OffsetLog.Opener opener, long compactAfterRecords, long generation) {
        this.dir = dir;
        this.opener = opener;
        this.compactAfterRecords = compactAfterRecords;
        this.generation = generation;
        this.log = opener.open(logDir(dir, generation));
    }

    /**
     * Opens the store in {@code dir}, creating it if needed: loads the latest snapshot, deletes
     * older generations and temporary files, and replays the current log.
     *
     * @param compactAfterRecords compact once the current log holds more records than this
     * @throws StorageException if the directory cannot be read or the latest snapshot is corrupt
     */
    static OffsetStore open(Path dir, OffsetLog.Opener opener, long compactAfterRecords) {
        try {
            Files.createDirectories(dir);
            TreeSet<Long> snapshots = new TreeSet<>();
            TreeSet<Long> logs = new TreeSet<>();
            boolean deleted = scan(dir, snapshots, logs);
            long generation = snapshots.isEmpty() ? 0 : snapshots.last();
            SortedMap<OffsetKey, CommittedOffset> snapshot = snapshots.isEmpty()
                    ? new TreeMap<>()
                    : OffsetSnapshot.read(OffsetSnapshot.file(dir, generation), generation);
            if (!logs.isEmpty() && logs.last() > generation) {
                throw new StorageException("offsets log " + logDir(dir, logs.last())
                        + " is newer than the newest snapshot (generation " + generation
                        + "); refusing to guess which holds the committed offsets");
            }
            for (long older : logs.headSet(generation)) {
                Directories.deleteRecursively(logDir(dir, older));
                deleted = true;
            }
            for (long older : snapshots.headSet(generation)) {
                Files.deleteIfExists(OffsetSnapshot.file(dir, older));
                deleted = true;
            }
            if (deleted) {
                Directories.fsync(dir);
            }
            OffsetStore store = new OffsetStore(dir, opener, compactAfterRecords, generation);
            store.offsets.putAll(snapshot);
            store.recordsInLog = store.log.replay(store::apply);
            LOG.info(
                    "Offsets store {}: generation {}, {} offsets, {} records in the log",
                    dir,
                    generation,
                    store.offsets.size(),
                    store.recordsInLog);
            return store;
        } catch (IOException e) {
            throw new StorageException("cannot open the offsets store in " + dir, e);
        }
    }

    /** Sorts the directory's entries; deletes temporary snapshots. Returns true if it deleted any. */
    private static boolean scan(Path dir, TreeSet<Long> snapshots, TreeSet<Long> logs) throws IOException {
        boolean deleted = false;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                Matcher snapshot = SNAPSHOT.matcher(name);
                Matcher logDir = LOG_DIR.matcher(name);
                if (name.endsWith(OffsetSnapshot.TEMP_SUFFIX)) {
                    // A compaction crashed before the rename: the log it was replacing is intact.
                    LOG.info("Deleting unfinished offsets snapshot {}", entry);
                    Files.delete(entry);
                    deleted = true;
                } else if (snapshot.matches()) {
                    snapshots.add(Long.parseLong(snapshot.group(1)));
                } else if (logDir.matches() && Files.isDirectory(entry)) {
                    logs.add(Long.parseLong(logDir.group(1)));
                } else {
                    LOG.warn("Ignoring unexpected entry {} in the offsets directory", entry);
                }
            }
        }
        return deleted;
    }

    static Path logDir(Path dir, long generation) {
        return dir.resolve(String.format("log-%020d", generation));
    }

    /** The current committed offsets, sorted; a read-only view. */
    SortedMap<OffsetKey, CommittedOffset> offsets() {
        return Collections.unmodifiableSortedMap(offsets);
    }

    long generation() {
        return generation;
    }

    long recordsInLog() {
        return recordsInLog;
    }

    /**
     * Appends the records as one batch (one fsync) and applies them (C5).
     *
     * @throws StorageException if the store failed earlier or the append fails; nothing is applied
     */
    void append(List<OffsetRecord> records) {
        if (failed) {
            throw new StorageException("the offsets store in " + dir + " failed during a compaction; restart the"
                    + " server to recover it");
        }
        log.append(records);
        records.forEach(this::apply);
        recordsInLog += records.size();
    }

    /**
     * Compacts if the current log holds more than the configured number of records. Never throws:
     * the offsets are durable before this runs, so a failed compaction is logged and, where going
     * on could lose commits, leaves the store refusing appends.
     */
    void maybeCompact() {
        if (!failed && recordsInLog > compactAfterRecords) {
            compact();
        }
    }

    private void compact() {
        long next = generation + 1;
        try {
            OffsetSnapshot.writeTemp(dir, next, offsets);
        } catch (IOException | RuntimeException e) {
            LOG.warn("Cannot write offsets snapshot {}; keeping log generation {}", next, generation, e);
            deleteQuietly(OffsetSnapshot.tempFile(dir, next));
            return;
        }
        OffsetLog nextLog;
        try {
            OffsetSnapshot.commit(dir, next);
            nextLog = opener.open(logDir(dir, next));
        } catch (IOException | RuntimeException e) {
            // Recovery may now pick the new snapshot, which would drop anything appended to the old log.
            failed = true;
            LOG.error("Offsets compaction to generation {} failed half-way; refusing commits until restart", next, e);
            return;
        }
        long previous = generation;
        OffsetLog previousLog = log;
        log = nextLog;
        generation = next;
        recordsInLog = 0;
        try {
            previousLog.close();
            Directories.deleteRecursively(logDir(dir, previous));
            Files.deleteIfExists(OffsetSnapshot.file(dir, previous));
            Directories.fsync(dir);
        } catch (IOException | RuntimeException e) {
            LOG.warn("Cannot delete offsets generation {}; the next start deletes it", previous, e);
        }
        LOG.info("Compacted the offsets log to generation {} ({} offsets)", next, offsets.size());
    }

    private void apply(OffsetRecord record) {
        CommittedOffset value = record.value();
        if (value == null) {
            offsets.remove(record.key());
        } else {
            offsets.put(record.key(), value);
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.warn("Cannot delete {}", path, e);
        }
    }

    @Override
    public void close() {
        log.close();
    }
}
