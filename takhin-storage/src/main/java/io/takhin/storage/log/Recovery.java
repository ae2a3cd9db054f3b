package io.takhin.storage.log;

import io.takhin.common.TopicPartition;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a partition directory and repairs what a crash left, so the log that comes out holds I1 to
 * I4. Never throws for corrupt data (only for I/O errors): it truncates at the first bad batch.
 *
 * <p>Segments below the recovery point (all of them after a clean shutdown) are trusted: only their
 * indexes are checked for plausibility and their tail is walked by batch headers from the last index
 * entry, to find the end offset and timestamps. From the segment holding the recovery point on,
 * every batch is validated (CRC, structure, offsets following on); the first bad batch and
 * everything after it, later segments included, is cut, because offsets must stay dense (I1).
 * Index files that are missing or disagree with the log are rewritten; they are hints (I4).
 *
 * <p>Not thread-safe; runs once, inside {@link PartitionLog#open}, before the log is shared.
 */
final class Recovery {
    private static final Logger log = LoggerFactory.getLogger(Recovery.class);
    private static final Pattern SEGMENT_FILE = Pattern.compile("(\\d{20})\\.(log|index|timeindex)");

    private final Path directory;
    private final TopicPartition topicPartition;
    private final LogConfig config;
    private final IoHooks hooks;
    private long bytesTruncated;
    private int indexesRebuilt;

    /** The recovered segments in offset order (never empty) and what recovery did. Immutable. */
    record Result(List<Segment> segments, RecoveryReport report) {}

    private Recovery(Path directory, TopicPartition topicPartition, LogConfig config, IoHooks hooks) {
        this.directory = directory;
        this.topicPartition = topicPartition;
        this.config = config;
        this.hooks = hooks;
    }

    static Result run(
            Path directory, TopicPartition topicPartition, LogConfig config, boolean cleanShutdown, IoHooks hooks)
            throws IOException {
        return new Recovery(directory, topicPartition, config, hooks).recover(cleanShutdown);
    }

    private Result recover(boolean cleanShutdown) throws IOException {
        List<Long> baseOffsets = listSegments();
        OptionalLong recoveryPoint = Checkpoint.read(directory);
        List<Segment> segments = new ArrayList<>();
        try {
            if (baseOffsets.isEmpty()) {
                // A new log, or one whose files are all gone: never hand out an offset twice.
                segments.add(Segment.create(directory, recoveryPoint.orElse(0), hooks));
                Disk.fsyncDirectory(directory);
            } else {
                for (long baseOffset : baseOffsets) {
                    segments.add(Segment.open(directory, baseOffset, hooks));
                }
                int firstScanned = cleanShutdown ? segments.size() : segmentHolding(baseOffsets, recoveryPoint);
                repair(segments, firstScanned);
            }
        } catch (IOException | RuntimeException e) {
            closeQuietly(segments, e);
            throw e;
        }
        if (indexesRebuilt > 0) {
            // A rebuilt index file may be new (it was missing): make its directory entry durable.
            Disk.fsyncDirectory(directory);
        }
        long logEndOffset = segments.getLast().endOffset();
        RecoveryReport report =
                new RecoveryReport(topicPartition, cleanShutdown, bytesTruncated, logEndOffset, indexesRebuilt);
        if (bytesTruncated > 0 || indexesRebuilt > 0) {
            log.warn(
                    "{}: recovery truncated {} bytes and rebuilt {} index files; log end offset {}",
                    topicPartition,
                    bytesTruncated,
                    indexesRebuilt,
                    logEndOffset);
        } else {
            // One line per partition is too many at INFO for thousands of partitions; LogManager
            // logs the summary and every truncation is a WARN above.
            log.debug(
                    "{}: opened ({} shutdown), log end offset {}",
                    topicPartition,
                    cleanShutdown ? "clean" : "unclean",
                    logEndOffset);
        }
        return new Result(List.copyOf(segments), report);
    }

    /**
     * Loads trusted segments below {@code firstScanned} and scans the rest; a trusted segment that
     * does not hold up moves the scan start back to it.
     */
    private void repair(List<Segment> segments, int firstScanned) throws IOException {
        long expectedOffset = segments.getFirst().baseOffset();
        int index = 0;
        while (index < firstScanned && index < segments.size()) {
            Segment segment = segments.get(index);
            if (segment.baseOffset() != expectedOffset || !loadTrusted(segment)) {
                break;
            }
            expectedOffset = segment.endOffset();
            index++;
        }
        int firstScannedIndex = index;
        boolean scanned = false;
        while (index < segments.size()) {
            Segment segment = segments.get(index);
            if (segment.baseOffset() != expectedOffset) {
                log.warn(
                        "{}: segment {} does not start at offset {}, where the log before it ends",
                        topicPartition,
                        segment.logFile(),
                        expectedOffset);
                deleteFrom(segments, index);
                break;
            }
            scanned = true;
            boolean whole = scan(segment);
            expectedOffset = segment.endOffset();
            index++;
            if (!whole) {
                deleteFrom(segments, index);
                break;
            }
        }
        if (scanned) {
            // The scan read what may still sit only in the page cache (a process crash): make it
            // durable before the recovery point vouches for it (I3).
            for (Segment segment : segments.subList(firstScannedIndex, segments.size())) {
                segment.flushAll();
            }
            Checkpoint.write(directory, expectedOffset);
        }
    }

    /**
     * Loads a segment without reading its data: checks the indexes, then walks batch headers from
     * the last index entry to the end of the file. False if something is off and the segment must
     * be scanned.
     */
    private boolean loadTrusted(Segment segment) throws IOException {
        int sizeBytes = segment.sizeBytes();
        if (segment.fileSizeBytes() != sizeBytes || !indexesPlausible(segment)) {
            return rebuildFromHeaders(segment);
        }
        IndexEntries offsets = segment.offsetIndex().entries();
        int last = offsets.count() - 1;
        long startPosition = last < 0 ? 0 : offsets.value(last);
        long startOffset = last < 0 ? segment.baseOffset() : offsets.key(last);
        SegmentWalk tail =
                SegmentWalk.run(segment, startPosition, startOffset, sizeBytes, false, config.indexIntervalBytes());
        boolean entryMatches = last < 0 || segment.timeIndex().entries().key(last) == tail.startBatchMaxTimestampMs;
        if (tail.problem != null || tail.offsets.count() > 0 || !entryMatches) {
            // A torn tail, a missing trailing entry or an entry that points at the wrong batch.
            return rebuildFromHeaders(segment);
        }
        long firstTimestampMs = sizeBytes == 0 ? Segment.NO_TIMESTAMP : firstTimestamp(segment);
        if (sizeBytes > 0 && firstTimestampMs == Segment.NO_TIMESTAMP) {
            return false;
        }
        segment.restoreLocked(sizeBytes, tail.endOffset, firstTimestampMs, tail.maxTimestampMs, (int) startPosition);
        return true;
    }

    private long firstTimestamp(Segment segment) throws IOException {
        BatchCursor cursor = new BatchCursor(segment, 0, segment.sizeBytes(), 64);
        BatchCursor.BatchHeader header = cursor.header();
        return header.present() && header.baseOffset() == segment.baseOffset()
                ? header.firstTimestampMs()
                : Segment.NO_TIMESTAMP;
    }

    private static boolean indexesPlausible(Segment segment) {
        int sizeBytes = segment.sizeBytes();
        IndexEntries offsets = segment.offsetIndex().entries();
        IndexEntries times = segment.timeIndex().entries();
        if (!segment.offsetIndex().plausible(sizeBytes)
                || !segment.timeIndex().plausible(sizeBytes)
                || offsets.count() != times.count()) {
            return false;
        }
        for (int i = 0; i < offsets.count(); i++) {
            if (offsets.key(i) != times.value(i)) {
                return false;
            }
        }
        return true;
    }

    /** Rebuilds both indexes from batch headers (no CRC: the data is below the recovery point). */
    private boolean rebuildFromHeaders(Segment segment) throws IOException {
        SegmentWalk walk = SegmentWalk.run(
                segment, 0, segment.baseOffset(), segment.sizeBytes(), false, config.indexIntervalBytes());
        if (walk.problem != null || segment.fileSizeBytes() != segment.sizeBytes()) {
            return false;
        }
        replaceIndexes(segment, walk);
        return true;
    }

    /**
     * Validates every batch of the segment, truncates at the first bad one and rebuilds the indexes
     * if they disagree. Returns true if the whole file was good.
     */
    private boolean scan(Segment segment) throws IOException {
        SegmentWalk walk = SegmentWalk.run(
                segment, 0, segment.baseOffset(), segment.sizeBytes(), true, config.indexIntervalBytes());
        long fileSizeBytes = segment.fileSizeBytes();
        boolean whole = walk.endPosition == fileSizeBytes;
        if (!whole) {
            long cut = fileSizeBytes - walk.endPosition;
            log.warn(
                    "{}: truncating {} at position {} after offset {}, cutting {} bytes: {}",
                    topicPartition,
                    segment.logFile().getFileName(),
                    walk.endPosition,
                    walk.endOffset - 1,
                    cut,
                    walk.problem != null ? walk.problem : "file longer than a segment can be");
            segment.truncateLocked((int) walk.endPosition);
            bytesTruncated += cut;
        }
        replaceIndexes(segment, walk);
        return whole;
    }

    private void replaceIndexes(Segment segment, SegmentWalk walk) throws IOException {
        for (SegmentIndex index : List.of(segment.offsetIndex(), segment.timeIndex())) {
            IndexEntries computed = index == segment.offsetIndex() ? walk.offsets : walk.times;
            long expectedSizeBytes = (long) computed.count() * (index == segment.offsetIndex() ? 8 : 12);
            if (!index.entries().sameAs(computed) || index.fileSizeBytes() != expectedSizeBytes) {
                log.warn("{}: rebuilding {}", topicPartition, index.file().getFileName());
                index.replaceWith(computed);
                indexesRebuilt++;
            }
        }
        segment.restoreLocked(
                (int) walk.endPosition,
                walk.endOffset,
                walk.firstTimestampMs,
                walk.maxTimestampMs,
                walk.offsets.count() == 0 ? 0 : (int) walk.offsets.value(walk.offsets.count() - 1));
    }

    private void deleteFrom(List<Segment> segments, int fromIndex) throws IOException {
        while (segments.size() > fromIndex) {
            Segment segment = segments.removeLast();
            long sizeBytes = segment.fileSizeBytes();
            log.warn("{}: deleting segment {} ({} bytes) after the cut", topicPartition, segment.logFile(), sizeBytes);
            bytesTruncated += sizeBytes;
            segment.delete();
        }
        Disk.fsyncDirectory(directory);
    }

    /** Base offsets of the segments on disk, in order; removes temp files and orphaned indexes. */
    private List<Long> listSegments() throws IOException {
        List<Long> baseOffsets = new ArrayList<>();
        List<Path> indexFiles = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                Matcher matcher = SEGMENT_FILE.matcher(name);
                if (name.endsWith(".tmp")) {
                    Files.deleteIfExists(file);
                } else if (matcher.matches() && matcher.group(2).equals("log")) {
                    baseOffsets.add(Long.parseLong(matcher.group(1)));
                } else if (matcher.matches()) {
                    indexFiles.add(file);
                } else if (name.endsWith(".log") || name.endsWith("index")) {
                    log.warn("{}: ignoring {}: not a segment file name", topicPartition, file);
                }
            }
        }
        baseOffsets.sort(null);
        for (Path indexFile : indexFiles) {
            String name = indexFile.getFileName().toString();
            long baseOffset = Long.parseLong(name.substring(0, 20));
            if (!baseOffsets.contains(baseOffset)) {
                log.warn("{}: deleting {}: its .log file is missing", topicPartition, indexFile);
                Files.deleteIfExists(indexFile);
            }
        }
        return baseOffsets;
    }

    /** Index of the segment holding {@code recoveryPoint}: the last one starting at or before it. */
    private static int segmentHolding(List<Long> baseOffsets, OptionalLong recoveryPoint) {
        if (recoveryPoint.isEmpty()) {
            return 0;
        }
        int holding = 0;
        for (int i = 0; i < baseOffsets.size(); i++) {
            if (baseOffsets.get(i) <= recoveryPoint.getAsLong()) {
                holding = i;
            }
        }
        return holding;
    }

    private static void closeQuietly(List<Segment> segments, Exception failure) {
        for (Segment segment : segments) {
            try {
                segment.close();
            } catch (IOException e) {
                failure.addSuppressed(e);
            }
        }
    }
}
