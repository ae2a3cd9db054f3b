package io.takhin.bench.store;

import io.takhin.storage.record.AppendRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/** Shared set-up of the store benchmarks: record batches and scratch directories. */
final class BenchLogs {
    private BenchLogs() {}

    /** {@code count} records with no key and a random {@code valueBytes}-byte value. */
    static List<AppendRecord> batch(int count, int valueBytes, long seed) {
        Random random = new Random(seed);
        List<AppendRecord> records = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] value = new byte[valueBytes];
            random.nextBytes(value);
            records.add(new AppendRecord(null, value, List.of()));
        }
        return records;
    }

    /**
     * A scratch directory on the disk under test: {@code -Dtakhin.bench.dir} (default
     * {@code ./bench-data}), not /tmp, which may be memory.
     */
    static Path scratch(String name) {
        Path base = Path.of(System.getProperty("takhin.bench.dir", "bench-data"));
        try {
            Files.createDirectories(base);
            return Files.createTempDirectory(base, name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void delete(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static long sizeOfLogFiles(Path dir) {
        try (Stream<Path> paths = Files.list(dir)) {
            long total = 0;
            for (Path path :
                    paths.filter(path -> path.toString().endsWith(".log")).toList()) {
                total += Files.size(path);
            }
            return total;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
