package io.takhin.bench.store;

import io.takhin.storage.record.AppendRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

    /**
     * Runs {@code dd if=/dev/zero of=<dir>/dd.bin ARGS}, deletes the file and returns dd's rate in
     * bytes/s, parsed from its last line ("... copied, 2.4 s, 449 MB/s").
     */
    static double dd(Path dir, String... args) {
        Path file = dir.resolve("dd.bin");
        List<String> command = new ArrayList<>(List.of("dd", "if=/dev/zero", "of=" + file));
        command.addAll(List.of(args));
        try {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            List<String> lines = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .toList();
            if (process.waitFor() != 0 || lines.isEmpty()) {
                throw new IllegalStateException(command + " failed: " + lines);
            }
            Matcher rate = DD_RATE.matcher(lines.getLast());
            if (!rate.find()) {
                throw new IllegalStateException("no rate in dd's output: " + lines);
            }
            double scale = switch (rate.group(2)) {
                case "kB" -> 1e3;
                case "MB" -> 1e6;
                case "GB" -> 1e9;
                default -> 1;
            };
            return Double.parseDouble(rate.group(1).replace(',', '.')) * scale;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running dd", e);
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                System.err.println("could not delete " + file + ": " + e);
            }
        }
    }

    private static final Pattern DD_RATE = Pattern.compile("([\\d.,]+) ([kMG]?B)/s");

    /**
     * Appends one line to the pairs file ({@code -Dtakhin.bench.pairs}, default
     * {@code bench-results/append-pairs.txt}): a measured case next to the dd run just before it.
     */
    static void logPair(String line) {
        Path file = Path.of(System.getProperty("takhin.bench.pairs", "bench-results/append-pairs.txt"));
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
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
