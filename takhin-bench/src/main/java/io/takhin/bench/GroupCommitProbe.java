package io.takhin.bench;

import io.takhin.common.Time;
import io.takhin.common.TopicPartition;
import io.takhin.storage.log.LogConfig;
import io.takhin.storage.log.PartitionLog;
import io.takhin.storage.record.AppendRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

/**
 * How well concurrent small appends share fsyncs: {@code --threads} (a comma-separated list) threads
 * append 1-record batches (100 bytes, fsync per append) to one new log for {@code --seconds}, each
 * count repeated {@code --rounds} times; prints appends/s. With perfect group commit, N writers get
 * up to N appends per fsync; with none, the same rate as one writer. Bounded by its arguments.
 *
 * <p>Usage: {@code GroupCommitProbe --dir bench-data --threads 1,8 --seconds 3 --rounds 2}
 */
public final class GroupCommitProbe {
    private GroupCommitProbe() {}

    public static void main(String[] args) throws Exception {
        Args options = Args.parse(args);
        Path base = Path.of(options.string("dir", "bench-data"));
        int seconds = options.integer("seconds", 3);
        int rounds = options.integer("rounds", 2);
        List<AppendRecord> batch = List.of(new AppendRecord(null, new byte[100], List.of()));
        Files.createDirectories(base);
        for (int round = 1; round <= rounds; round++) {
            for (String count : options.string("threads", "1,8").split(",")) {
                int threads = Integer.parseInt(count.trim());
                Path dir = Files.createTempDirectory(base, "group-commit-");
                LogConfig config = LogConfig.defaults().withRetentionMs(-1);
                LongAdder appends = new LongAdder();
                long startNanos = System.nanoTime();
                long endNanos = startNanos + seconds * 1_000_000_000L;
                try (PartitionLog log = PartitionLog.open(dir, new TopicPartition("probe", 0), config, Time.SYSTEM)) {
                    List<Thread> writers = new ArrayList<>();
                    for (int t = 0; t < threads; t++) {
                        writers.add(Thread.ofPlatform().name("writer-" + t).start(() -> {
                            while (System.nanoTime() < endNanos) {
                                log.append(batch);
                                appends.increment();
                            }
                        }));
                    }
                    for (Thread writer : writers) {
                        writer.join();
                    }
                }
                double elapsed = (System.nanoTime() - startNanos) / 1e9;
                System.out.printf(
                        "group-commit round=%d writers=%d appends=%d appends/s=%.0f%n",
                        round, threads, appends.sum(), appends.sum() / elapsed);
                delete(dir);
            }
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
