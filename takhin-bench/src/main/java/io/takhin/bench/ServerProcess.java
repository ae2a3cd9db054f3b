package io.takhin.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What a load tool reads about the server process it drives, by PID: CPU time and resident memory
 * from {@code /proc}, live heap through {@code jcmd}. Linux only. Immutable.
 */
record ServerProcess(long pid) {
    /** Clock ticks per second of {@code /proc/<pid>/stat} times; 100 on Linux (getconf CLK_TCK). */
    private static final long TICKS_PER_SECOND = 100;

    /** CPU time (user + system) the process used so far, in nanoseconds. */
    long cpuNanos() {
        String stat = read(Path.of("/proc", Long.toString(pid), "stat"));
        // Fields after the command name, which is in parentheses and may contain spaces.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime (fields 14, 15)
        return ticks * (1_000_000_000L / TICKS_PER_SECOND);
    }

    /** Resident set size in bytes ({@code VmRSS}). */
    long rssBytes() {
        for (String line : read(Path.of("/proc", Long.toString(pid), "status")).split("\n")) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/" + pid + "/status");
    }

    /** Threads of the process, from {@code /proc/<pid>/status}. */
    int threads() {
        for (String line : read(Path.of("/proc", Long.toString(pid), "status")).split("\n")) {
            if (line.startsWith("Threads:")) {
                return Integer.parseInt(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no Threads in /proc/" + pid + "/status");
    }

    /**
     * Live heap: {@code jcmd <pid> GC.class_histogram}, which runs a full GC first, as a list of
     * lines; the last is the total ({@code Total <instances> <bytes>}).
     */
    List<String> classHistogram() {
        return jcmd("GC.class_histogram");
    }

    /** The byte total of a class histogram. */
    static long histogramTotalBytes(List<String> histogram) {
        for (int i = histogram.size() - 1; i >= 0; i--) {
            String line = histogram.get(i).trim();
            if (line.startsWith("Total")) {
                String[] parts = line.split("\\s+");
                return Long.parseLong(parts[2]);
            }
        }
        throw new IllegalStateException("no Total line in the class histogram: " + histogram);
    }

    List<String> jcmd(String command) {
        Path java = Path.of(ProcessHandle.current().info().command().orElse("java"));
        Path jcmd = java.resolveSibling("jcmd");
        try {
            Process process = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command)
                    .redirectErrorStream(true)
                    .start();
            List<String> lines =
                    new ArrayList<>(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                            .lines()
                            .toList());
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("jcmd " + pid + " " + command + " failed: " + lines);
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for jcmd", e);
        }
    }

    private static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
