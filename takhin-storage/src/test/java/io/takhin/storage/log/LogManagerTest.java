package io.takhin.storage.log;

import static io.takhin.storage.log.TestLogs.records;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.takhin.common.ErrorCode;
import io.takhin.common.ManualTime;
import io.takhin.common.TakhinException;
import io.takhin.common.TopicPartition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class LogManagerTest {
    @RegisterExtension
    final LogInvariantsExtension invariants = new LogInvariantsExtension();

    @TempDir
    Path dataDirectory;

    final ManualTime time = new ManualTime();

    private LogManager open() {
        return invariants.track(LogManager.open(dataDirectory, LogConfig.defaults(), time));
    }

    @Test
    void createTopic_thenList_sortedByNameWithPartitions() {
        LogManager manager = open();

        manager.createTopic("payments", 1);
        Topic orders = manager.createTopic("orders", 3);

        assertThat(manager.topics()).extracting(Topic::name).containsExactly("orders", "payments");
        assertThat(manager.topic("orders")).containsSame(orders);
        assertThat(manager.topic("missing")).isEmpty();
        assertThat(orders.partitionCount()).isEqualTo(3);
        assertThat(orders.partition(2).topicPartition()).isEqualTo(new TopicPartition("orders", 2));
        assertThat(dataDirectory.resolve("orders").resolve(LogManager.TOPIC_METADATA_FILE))
                .exists();
        assertThat(dataDirectory.resolve("orders").resolve("2").resolve("00000000000000000000.log"))
                .exists();
    }

    @Test
    void createAndDeleteTopic_longestLegalName_fitsTheFileSystemNameLimit() {
        LogManager manager = open();
        String longest = "n".repeat(249);

        manager.createTopic(longest, 1)
                .partition(0)
                .append(java.util.List.of(new io.takhin.storage.record.AppendRecord(null, new byte[] {1})));
        manager.deleteTopic(longest);

        assertThat(manager.topic(longest)).isEmpty();
        assertThat(dataDirectory.resolve(longest)).doesNotExist();
    }

    @Test
    void createTopic_duplicate_topicAlreadyExists() {
        LogManager manager = open();
        manager.createTopic("orders", 1);

        assertThatThrownBy(() -> manager.createTopic("orders", 2))
                .isInstanceOfSatisfying(
                        TakhinException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TOPIC_ALREADY_EXISTS))
                .hasMessage("topic 'orders' already exists");
    }

    @Test
    void createTopic_invalidNameOrCount_invalidArgument() {
        LogManager manager = open();

        assertThatThrownBy(() -> manager.createTopic("a/b", 1))
                .isInstanceOfSatisfying(
                        TakhinException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
        assertThatThrownBy(() -> manager.createTopic("", 1)).isInstanceOf(TakhinException.class);
        assertThatThrownBy(() -> manager.createTopic("orders", 0))
                .isInstanceOfSatisfying(
                        TakhinException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("partitionCount");
        assertThat(manager.topics()).isEmpty();
    }

    @Test
    void partition_outOfRange_partitionNotFound() {
        Topic topic = open().createTopic("orders", 2);

        assertThatThrownBy(() -> topic.partition(2))
                .isInstanceOfSatisfying(
                        TakhinException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.PARTITION_NOT_FOUND));
        assertThatThrownBy(() -> topic.partition(-1)).isInstanceOf(TakhinException.class);
    }

    @Test
    void deleteTopic_removesFilesAndWakesWaiters() throws Exception {
        LogManager manager = open();
        PartitionLog partition = manager.createTopic("orders", 2).partition(1);
        partition.append(records("a"));
        CompletableFuture<Void> waiting = partition.awaitAppend(1);

        manager.deleteTopic("orders");

        waiting.get(10, TimeUnit.SECONDS);
        assertThat(partition.isClosed()).isTrue();
        assertThat(manager.topic("orders")).isEmpty();
        try (var entries = Files.list(dataDirectory)) {
            assertThat(entries.map(path -> path.getFileName().toString())).doesNotContain("orders");
        }
        assertThat(manager.createTopic("orders", 1).partition(0).logEndOffset()).isZero();
    }

    @Test
    void deleteTopic_missing_topicNotFound() {
        assertThatThrownBy(() -> open().deleteTopic("missing"))
                .isInstanceOfSatisfying(
                        TakhinException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TOPIC_NOT_FOUND));
    }

    @Test
    void reopen_afterClose_topicsAndRecordsPersistWithCleanShutdown() {
        try (LogManager manager = LogManager.open(dataDirectory, LogConfig.defaults(), time)) {
            manager.createTopic("orders", 2).partition(1).append(records("a", "b"));
            manager.createTopic("payments", 1);
        }
        assertThat(dataDirectory.resolve(LogManager.CLEAN_SHUTDOWN_FILE)).exists();

        LogManager reopened = open();

        assertThat(dataDirectory.resolve(LogManager.CLEAN_SHUTDOWN_FILE)).doesNotExist();
        assertThat(reopened.topics()).extracting(Topic::name).containsExactly("orders", "payments");
        assertThat(reopened.topic("orders").orElseThrow().partitionCount()).isEqualTo(2);
        assertThat(TestLogs.values(reopened.topic("orders").orElseThrow().partition(1), 0))
                .containsExactly("a", "b");
        assertThat(reopened.recoveryReports())
                .hasSize(3)
                .allSatisfy(report -> assertThat(report.cleanShutdown()).isTrue());
    }

    @Test
    void reopen_afterCrash_recoversUnclean() throws IOException {
        Path crashedCopy = dataDirectory.resolveSibling(dataDirectory.getFileName() + "-crashed");
        try (LogManager manager = LogManager.open(dataDirectory, LogConfig.defaults(), time)) {
            manager.createTopic("orders", 1).partition(0).append(records("a", "b"));
            copyTree(dataDirectory, crashedCopy);
        }

        LogManager recovered = invariants.track(LogManager.open(crashedCopy, LogConfig.defaults(), time));

        assertThat(recovered.recoveryReports())
                .containsExactly(new RecoveryReport(new TopicPartition("orders", 0), false, 0, 2, 0));
        Disk.deleteRecursively(crashedCopy);
    }

    @Test
    void open_unfinishedCreateOrDelete_removedAtOpen() throws IOException {
        Files.createDirectories(dataDirectory.resolve("orders~creating").resolve("0"));
        Files.createDirectories(dataDirectory.resolve("old~deleting"));

        LogManager manager = open();

        assertThat(manager.topics()).isEmpty();
        assertThat(dataDirectory.resolve("orders~creating")).doesNotExist();
        assertThat(dataDirectory.resolve("old~deleting")).doesNotExist();
    }

    @Test
    void close_thenCreate_refused() {
        LogManager manager = LogManager.open(dataDirectory, LogConfig.defaults(), time);
        manager.close();

        assertThatThrownBy(() -> manager.createTopic("orders", 1))
                .isInstanceOfSatisfying(
                        TakhinException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.STORAGE_UNAVAILABLE));
    }

    private static void copyTree(Path source, Path target) throws IOException {
        try (var paths = Files.walk(source)) {
            for (Path path : paths.toList()) {
                Path copy = target.resolve(source.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(path, copy);
                }
            }
        }
    }
}
