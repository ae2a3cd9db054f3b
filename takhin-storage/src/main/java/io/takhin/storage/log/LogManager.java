package io.takhin.storage.log;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.takhin.common.ErrorCode;
import io.takhin.common.StorageException;
import io.takhin.common.TakhinException;
import io.takhin.common.Time;
import io.takhin.common.TopicNames;
import io.takhin.common.TopicPartition;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The topics of one data directory: creates, deletes, lists and opens them, and runs the storage
 * scheduler (retention and interval flushes of every partition) on one named daemon thread.
 *
 * <p>Layout: {@code <dataDir>/<topic>/topic.properties} ({@code partition.count=N}) and one directory
 * per partition, {@code <dataDir>/<topic>/<partition>/}. A directory whose name contains {@code ~}
 * (never part of a topic name) is a topic being created or deleted; open removes it. The file
 * {@code <dataDir>/clean-shutdown} is written by {@link #close} after every log closed cleanly and
 * removed by {@link #open}; while it is there, open skips scanning the logs.
 *
 * <p>Thread-safety: thread-safe. Lookups are lock-free ({@link ConcurrentHashMap}); creating,
 * deleting and closing are serialised by {@code adminLock}.
 */
public final class LogManager implements AutoCloseable {
    static final String CLEAN_SHUTDOWN_FILE = "clean-shutdown";
    static final String TOPIC_METADATA_FILE = "topic.properties";
    /** Upper bound on partitions per topic, so a typo cannot create millions of directories. */
    public static final int MAX_PARTITIONS = 10_000;

    private static final Logger log = LoggerFactory.getLogger(LogManager.class);
    /*
     * Work directories are named "~creating-<random>" / "~deleting-<random>", not after the topic: a
     * topic name may be 249 characters, and a suffix would push it past the file system's 255-byte
     * name limit. '~' never occurs in a topic name, so open() can remove them all.
     */
    private static final String CREATING_PREFIX = "~creating-";
    private static final String DELETING_PREFIX = "~deleting-";
    private static final String PARTITION_COUNT_KEY = "partition.count";

    private final Path dataDirectory;
    private final LogConfig config;
    private final Time time;
    private final ScheduledExecutorService scheduler;
    private final ConcurrentHashMap<String, Topic> topics = new ConcurrentHashMap<>();
    private final ReentrantLock adminLock = new ReentrantLock();
    private final List<RecoveryReport> recoveryReports = new ArrayList<>();
    private volatile boolean closed;

    private LogManager(Path dataDirectory, LogConfig config, Time time, ScheduledExecutorService scheduler) {
        this.dataDirectory = dataDirectory;
        this.config = config;
        this.time = time;
        this.scheduler = scheduler;
    }

    /**
     * Opens the data directory (creating it if absent), loads and recovers every topic, and starts
     * the scheduler.
     *
     * @throws StorageException if the directory cannot be read or written
     */
    public static LogManager open(Path dataDirectory, LogConfig config, Time time) {
        ScheduledExecutorService scheduler = StorageThreads.scheduler("takhin-storage-scheduler");
        LogManager manager = new LogManager(dataDirectory, config, time, scheduler);
        try {
            boolean fresh = !Files.exists(dataDirectory);
            Disk.createDirectories(dataDirectory);
            boolean cleanShutdown = Files.deleteIfExists(dataDirectory.resolve(CLEAN_SHUTDOWN_FILE));
            manager.removeUnfinishedTopicDirectories();
            // Durable before any append: a crash from now on must not skip the scan.
            Disk.fsyncDirectory(dataDirectory);
            manager.loadTopics(cleanShutdown, fresh);
            return manager;
        } catch (IOException | RuntimeException e) {
            manager.closeAfterFailedOpen(e);
            if (e instanceof IOException io) {
                throw new StorageException("cannot open data directory " + dataDirectory + ": " + io.getMessage(), io);
            }
            throw (RuntimeException) e;
        }
    }

    private void closeAfterFailedOpen(Exception failure) {
        try {
            scheduler.shutdown();
            for (Topic topic : topics.values()) {
                topic.close();
            }
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    private void removeUnfinishedTopicDirectories() throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dataDirectory, "*~*")) {
            for (Path entry : entries) {
                log.warn("Removing {}: a topic creation or deletion that did not finish", entry);
                Disk.deleteRecursively(entry);
            }
        }
    }

    private void loadTopics(boolean cleanShutdown, boolean fresh) throws IOException {
        List<Path> topicDirectories = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dataDirectory, Files::isDirectory)) {
            entries.forEach(topicDirectories::add);
        }
        topicDirectories.sort(null);
        for (Path topicDirectory : topicDirectories) {
            String name = topicDirectory.getFileName().toString();
            OptionalInt partitionCount = readPartitionCount(topicDirectory);
            if (partitionCount.isEmpty()) {
                log.error(
                        "Skipping {}: no readable {}; not a topic, or a damaged one",
                        topicDirectory,
                        TOPIC_METADATA_FILE);
                continue;
            }
            Topic topic = openTopic(name, partitionCount.getAsInt(), cleanShutdown);
            topics.put(name, topic);
            for (PartitionLog partition : topic.partitions()) {
                recoveryReports.add(partition.recoveryReport());
            }
        }
        log.info(
                "Opened {} topics in {} ({})",
                topics.size(),
                dataDirectory,
                fresh
                        ? "new directory"
                        : cleanShutdown ? "after a clean shutdown" : "after an unclean shutdown: scanned");
    }

    private OptionalInt readPartitionCount(Path topicDirectory) throws IOException {
        Path file = topicDirectory.resolve(TOPIC_METADATA_FILE);
        if (!Files.isRegularFile(file)) {
            return OptionalInt.empty();
        }
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(Files.readString(file, UTF_8)));
            int count = Integer.parseInt(
                    properties.getProperty(PARTITION_COUNT_KEY, "").trim());
            TopicNames.validate(topicDirectory.getFileName().toString());
            return count >= 1 && count <= MAX_PARTITIONS ? OptionalInt.of(count) : OptionalInt.empty();
        } catch (IllegalArgumentException | TakhinException | java.nio.charset.CharacterCodingException e) {
            return OptionalInt.empty();
        }
    }

    private Topic openTopic(String name, int partitionCount, boolean cleanShutdown) {
        Path topicDirectory = dataDirectory.resolve(name);
        List<PartitionLog> partitions = new ArrayList<>();
        PartitionLog.Options options = new PartitionLog.Options(true, cleanShutdown, IoHooks.NONE, scheduler);
        try {
            for (int id = 0; id < partitionCount; id++) {
                partitions.add(PartitionLog.open(
                        topicDirectory.resolve(Integer.toString(id)),
                        new TopicPartition(name, id),
                        config,
                        time,
                        options));
            }
        } catch (RuntimeException e) {
            partitions.forEach(PartitionLog::close);
            throw e;
        }
        return new Topic(name, partitions);
    }

    /**
     * Creates a topic with {@code partitionCount} empty partitions. Atomic on disk: the topic is
     * built in a temporary directory and renamed into place, so a crash leaves all of it or none.
     *
     * @throws TakhinException {@code INVALID_ARGUMENT} for an illegal name or count,
     *     {@code TOPIC_ALREADY_EXISTS} if the name is taken
     * @throws StorageException if the disk fails
     */
    public Topic createTopic(String name, int partitionCount) {
        TopicNames.validate(name);
        if (partitionCount < 1 || partitionCount > MAX_PARTITIONS) {
            throw TakhinException.invalidArgument(
                    "partitionCount must be 1.." + MAX_PARTITIONS + ", got " + partitionCount);
        }
        adminLock.lock();
        try {
            ensureOpen();
            if (topics.containsKey(name)) {
                throw new TakhinException(ErrorCode.TOPIC_ALREADY_EXISTS, "topic '" + name + "' already exists");
            }
            createTopicDirectory(name, partitionCount);
            Topic topic = openTopic(name, partitionCount, false);
            topics.put(name, topic);
            log.info("Created topic '{}' with {} partitions", name, partitionCount);
            return topic;
        } catch (IOException e) {
            throw new StorageException("cannot create topic '" + name + "': " + e.getMessage(), e);
        } finally {
            adminLock.unlock();
        }
    }

    private void createTopicDirectory(String name, int partitionCount) throws IOException {
        Path temporary = dataDirectory.resolve(CREATING_PREFIX + UUID.randomUUID());
        Disk.deleteRecursively(temporary);
        Files.createDirectory(temporary);
        for (int id = 0; id < partitionCount; id++) {
            Files.createDirectory(temporary.resolve(Integer.toString(id)));
        }
        String metadata = "# Takhin topic metadata\n" + PARTITION_COUNT_KEY + "=" + partitionCount + "\n";
        try (FileChannel channel = FileChannel.open(
                temporary.resolve(TOPIC_METADATA_FILE), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            Disk.writeFully(channel, ByteBuffer.wrap(metadata.getBytes(UTF_8)), 0);
            channel.force(true);
        }
        Disk.fsyncDirectory(temporary);
        Files.move(temporary, dataDirectory.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        Disk.fsyncDirectory(dataDirectory);
    }

    /**
     * Deletes a topic: closes its logs (waking their waiters), renames its directory out of the way
     * (durably, so it cannot come back after a crash) and deletes the files.
     *
     * @throws TakhinException {@code TOPIC_NOT_FOUND} if there is no such topic
     * @throws StorageException if the disk fails
     */
    public void deleteTopic(String name) {
        adminLock.lock();
        try {
            ensureOpen();
            Topic topic = topics.remove(name);
            if (topic == null) {
                throw TakhinException.topicNotFound(name);
            }
            topic.close();
            Path trash = dataDirectory.resolve(DELETING_PREFIX + UUID.randomUUID());
            Disk.deleteRecursively(trash);
            Files.move(dataDirectory.resolve(name), trash, StandardCopyOption.ATOMIC_MOVE);
            Disk.fsyncDirectory(dataDirectory);
            Disk.deleteRecursively(trash);
            log.info("Deleted topic '{}'", name);
        } catch (IOException e) {
            throw new StorageException("cannot delete topic '" + name + "': " + e.getMessage(), e);
        } finally {
            adminLock.unlock();
        }
    }

    public Optional<Topic> topic(String name) {
        return Optional.ofNullable(topics.get(name));
    }

    /** Every topic, sorted by name. */
    public List<Topic> topics() {
        List<Topic> sorted = new ArrayList<>(topics.values());
        sorted.sort(Comparator.comparing(Topic::name));
        return sorted;
    }

    /** What {@link #open} found in each partition, by topic name then partition. */
    public List<RecoveryReport> recoveryReports() {
        return List.copyOf(recoveryReports);
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    /**
     * Stops the scheduler (letting a running task finish), flushes and closes every log, and writes
     * the clean-shutdown marker if every log closed cleanly. Idempotent.
     */
    @Override
    public void close() {
        adminLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            // shutdown, not shutdownNow: an interrupt would close a channel mid-fsync and fail a log.
            scheduler.shutdown();
            awaitScheduler();
            boolean clean = true;
            for (Topic topic : topics()) {
                clean &= topic.close();
            }
            if (clean) {
                Files.write(dataDirectory.resolve(CLEAN_SHUTDOWN_FILE), new byte[0]);
                Disk.fsyncDirectory(dataDirectory);
            } else {
                log.warn("Not every log closed cleanly; the next open of {} will scan them", dataDirectory);
            }
        } catch (IOException e) {
            log.warn("Could not write the clean-shutdown marker in {}; the next open will scan", dataDirectory, e);
        } finally {
            adminLock.unlock();
        }
    }

    private void awaitScheduler() {
        try {
            if (!scheduler.awaitTermination(30, TimeUnit.SECONDS)) {
                log.warn("The storage scheduler did not stop within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new StorageException("the log manager of " + dataDirectory + " is closed");
        }
    }
}
