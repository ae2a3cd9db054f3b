package io.takhin.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Idle capacity: {@code --consumers} consumers, each in a group of its own on one idle topic (so
 * each owns the partition and its poll waits on the partition's append notifier), each holding one
 * long poll of {@code --timeout-ms} on a connection of its own. Measures on the server, by PID:
 *
 * <ul>
 *   <li>live heap per held poll: (live heap with the polls held - live heap with the consumers
 *       subscribed but no poll and no connection open) / consumers, each live heap the total of
 *       {@code jcmd GC.class_histogram} (which runs a full GC); the growth includes each poll's TCP
 *       connection. Also the classes that grew most, and the RSS difference;
 *   <li>CPU while the polls are parked, over {@code --idle-seconds}, from {@code /proc/<pid>/stat}.
 * </ul>
 *
 * Then it waits for every poll to be answered (200, no records, after about {@code --timeout-ms}),
 * which shows they really were held. The polls go out over NIO from one thread, at most
 * {@code --connect-window} connections being opened at a time so the accept queue never overflows.
 * Bounded: the whole run stops after {@code --timeout-ms} + 120 s.
 */
public final class IdleCapacity {
    private static final Pattern CONSUMER_ID = Pattern.compile("\"consumer_id\"\\s*:\\s*\"([^\"]+)\"");

    private IdleCapacity() {}

    public static void main(String[] args) throws Exception {
        Args options = Args.parse(args);
        URI base = BenchClient.loopback(options.string("url", "http://127.0.0.1:8080"));
        String topic = options.string("topic", "idle");
        int consumers = options.integer("consumers", 10_000);
        int timeoutMs = options.integer("timeout-ms", 30_000);
        int idleSeconds = options.integer("idle-seconds", 10);
        int connectWindow = options.integer("connect-window", 200);
        ServerProcess server = new ServerProcess(options.integer("server-pid", -1));
        long deadlineNanos = System.nanoTime() + (timeoutMs + 120_000L) * 1_000_000L;

        String[] ids = subscribe(base, topic, consumers, options.integer("subscribe-threads", 4));
        System.out.printf("subscribed %d consumers (each in its own group) to %s%n", consumers, topic);

        List<String> histogramBefore = server.classHistogram();
        long heapBefore = ServerProcess.histogramTotalBytes(histogramBefore);
        long rssBefore = server.rssBytes();
        System.out.printf(
                "before polls: live heap %.1f MB, RSS %.1f MB, threads %d%n",
                heapBefore / 1e6, rssBefore / 1e6, server.threads());

        Polls polls = new Polls(base, ids, timeoutMs, connectWindow);
        long sendStartNanos = System.nanoTime();
        polls.sendAll(deadlineNanos);
        System.out.printf(
                "%d polls sent in %.1f s; %d answered so far%n",
                consumers, (System.nanoTime() - sendStartNanos) / 1e9, polls.answered());
        polls.runFor(2_000); // let the server park the last ones

        long cpuStart = server.cpuNanos();
        long wallStart = System.nanoTime();
        polls.runFor(idleSeconds * 1000L);
        long cpuNanos = server.cpuNanos() - cpuStart;
        long wallNanos = System.nanoTime() - wallStart;
        int answeredDuringIdle = polls.answered();
        int cores = Runtime.getRuntime().availableProcessors();
        System.out.printf(
                "idle CPU over %.1f s with %d polls parked (%d answered): %.2f%% of one core, %.2f%% of the machine"
                        + " (%d cores)%n",
                wallNanos / 1e9,
                consumers - answeredDuringIdle,
                answeredDuringIdle,
                cpuNanos * 100.0 / wallNanos,
                cpuNanos * 100.0 / wallNanos / cores,
                cores);

        List<String> histogramAfter = server.classHistogram();
        long heapAfter = ServerProcess.histogramTotalBytes(histogramAfter);
        long rssAfter = server.rssBytes();
        int held = consumers - polls.answered();
        System.out.printf(
                "with polls held: live heap %.1f MB, RSS %.1f MB, threads %d; %d polls held%n",
                heapAfter / 1e6, rssAfter / 1e6, server.threads(), held);
        System.out.printf(
                "heap per held poll: %.0f bytes (%.2f KB); RSS per held poll: %.0f bytes%n",
                (heapAfter - heapBefore) / (double) consumers,
                (heapAfter - heapBefore) / (double) consumers / 1024,
                (rssAfter - rssBefore) / (double) consumers);
        printGrowth(histogramBefore, histogramAfter, consumers);
        printThreads(server);

        polls.runUntilAllAnswered(deadlineNanos);
        long[] durations = polls.durationsMs();
        Arrays.sort(durations);
        System.out.printf(
                "polls answered: %d of %d, statuses %s, records in them %d; poll duration min %d ms, median %d ms,"
                        + " max %d ms%n",
                polls.answered(),
                consumers,
                polls.statuses(),
                polls.recordsSeen(),
                durations[0],
                durations[durations.length / 2],
                durations[durations.length - 1]);
        polls.close();
        if (held != consumers || polls.answered() != consumers) {
            throw new IllegalStateException("not every poll was held until its timeout");
        }
    }

    private static String[] subscribe(URI base, String topic, int consumers, int threads) throws Exception {
        String[] ids = new String[consumers];
        AtomicInteger next = new AtomicInteger();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        long run = System.nanoTime();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(Thread.ofPlatform().name("subscribe-" + t).start(() -> {
                try (BenchClient client = BenchClient.create("raw", base)) {
                    for (int i = next.getAndIncrement(); i < consumers; i = next.getAndIncrement()) {
                        String body = "{\"group_id\":\"idle-" + run + "-" + i + "\",\"topics\":[\"" + topic
                                + "\"],\"auto_offset_reset\":\"latest\",\"session_timeout_ms\":300000}";
                        String answer = client.exchange("POST", "/api/consumers/subscribe", BenchClient.utf8(body))
                                .expect(200, "subscribe")
                                .text();
                        Matcher id = CONSUMER_ID.matcher(answer);
                        if (!id.find()) {
                            throw new IllegalStateException("no consumer_id in " + answer);
                        }
                        ids[i] = id.group(1);
                    }
                } catch (IOException | RuntimeException e) {
                    failures.add(e);
                }
            }));
        }
        for (Thread worker : workers) {
            worker.join();
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("subscribe failed", failures.getFirst());
        }
        return ids;
    }

    /** The server's platform threads grouped by name without trailing digits (jcmd Thread.print). */
    private static void printThreads(ServerProcess server) {
        Map<String, Integer> byName = new java.util.TreeMap<>();
        for (String line : server.jcmd("Thread.print")) {
            if (line.startsWith("\"")) {
                String name = line.substring(1, line.indexOf('"', 1)).replaceAll("[-#]?\\d+$", "");
                byName.merge(name, 1, Integer::sum);
            }
        }
        System.out.println("server threads by name: " + byName);
    }

    /** The classes whose live bytes grew most between two histograms. */
    private static void printGrowth(List<String> before, List<String> after, int consumers) {
        Map<String, long[]> byClass = new HashMap<>();
        collect(before, byClass, 0);
        collect(after, byClass, 1);
        System.out.println("largest growth by class (bytes per held poll, instances per held poll):");
        byClass.entrySet().stream()
                .sorted((a, b) -> Long.compare(b.getValue()[3] - b.getValue()[1], a.getValue()[3] - a.getValue()[1]))
                .limit(15)
                .forEach(entry -> System.out.printf(
                        "  %8.1f B  %6.2f  %s%n",
                        (entry.getValue()[3] - entry.getValue()[1]) / (double) consumers,
                        (entry.getValue()[2] - entry.getValue()[0]) / (double) consumers,
                        entry.getKey()));
    }

    /** Histogram lines: {@code "   1:   12345   678901  java.lang.String (java.base@25)"}. */
    private static void collect(List<String> histogram, Map<String, long[]> byClass, int column) {
        for (String line : histogram) {
            String[] parts = line.trim().split("\\s+");
            if (parts.length >= 4 && parts[0].endsWith(":")) {
                long[] values = byClass.computeIfAbsent(parts[3], name -> new long[4]);
                values[2 * column] = Long.parseLong(parts[1]);
                values[2 * column + 1] = Long.parseLong(parts[2]);
            }
        }
    }

    /**
     * The long polls: one non-blocking connection each, driven by one selector on the calling
     * thread. Not thread-safe.
     */
    private static final class Polls implements AutoCloseable {
        private final InetSocketAddress address;
        private final String host;
        private final String[] ids;
        private final int timeoutMs;
        private final int connectWindow;
        private final Selector selector;
        private final Poll[] polls;
        private final Map<Integer, Integer> statuses = new HashMap<>();
        private int sent;
        private int answered;
        private long recordsSeen;

        Polls(URI base, String[] ids, int timeoutMs, int connectWindow) throws IOException {
            this.host = base.getHost();
            this.address = new InetSocketAddress(host, base.getPort());
            this.ids = ids;
            this.timeoutMs = timeoutMs;
            this.connectWindow = connectWindow;
            this.selector = Selector.open();
            this.polls = new Poll[ids.length];
        }

        /** One poll's connection and progress. */
        private static final class Poll {
            final SocketChannel channel;
            final ByteBuffer request;
            ByteBuffer response = ByteBuffer.allocate(512);
            long sentNanos;
            long answeredNanos;
            boolean written;

            Poll(SocketChannel channel, ByteBuffer request) {
                this.channel = channel;
                this.request = request;
            }
        }

        /** Opens every connection and writes every request, at most connectWindow unwritten at once. */
        void sendAll(long deadlineNanos) throws IOException {
            int opened = 0;
            while (sent < ids.length) {
                if (System.nanoTime() > deadlineNanos) {
                    throw new IllegalStateException("sending the polls took too long: " + sent + " sent");
                }
                while (opened < ids.length && opened - sent < connectWindow) {
                    open(opened++);
                }
                select(100);
            }
        }

        private void open(int index) throws IOException {
            SocketChannel channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            byte[] body = "{\"max_records\":10,\"timeout_ms\":%d}"
                    .formatted(timeoutMs)
                    .getBytes(StandardCharsets.US_ASCII);
            byte[] head = ("POST /api/consumers/" + ids[index] + "/consume HTTP/1.1\r\nHost: " + host + "\r\n"
                            + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            ByteBuffer request = ByteBuffer.allocate(head.length + body.length)
                    .put(head)
                    .put(body)
                    .flip();
            Poll poll = new Poll(channel, request);
            polls[index] = poll;
            if (channel.connect(address)) {
                channel.register(selector, SelectionKey.OP_WRITE, index);
            } else {
                channel.register(selector, SelectionKey.OP_CONNECT, index);
            }
        }

        void runFor(long millis) throws IOException {
            long endNanos = System.nanoTime() + millis * 1_000_000;
            for (long left = millis; left > 0; left = (endNanos - System.nanoTime()) / 1_000_000) {
                select(left);
            }
        }

        void runUntilAllAnswered(long deadlineNanos) throws IOException {
            while (answered < ids.length && System.nanoTime() < deadlineNanos) {
                select(Math.max(1, Math.min(1000, (deadlineNanos - System.nanoTime()) / 1_000_000)));
            }
        }

        private void select(long timeoutMillis) throws IOException {
            selector.select(
                    key -> {
                        try {
                            handle(key);
                        } catch (IOException e) {
                            throw new IllegalStateException("poll connection failed", e);
                        }
                    },
                    Math.max(1, timeoutMillis));
        }

        private void handle(SelectionKey key) throws IOException {
            int index = (Integer) key.attachment();
            Poll poll = polls[index];
            if (key.isConnectable()) {
                poll.channel.finishConnect();
                key.interestOps(SelectionKey.OP_WRITE);
            }
            if (key.isValid() && key.isWritable()) {
                poll.channel.write(poll.request);
                if (!poll.request.hasRemaining()) {
                    poll.written = true;
                    poll.sentNanos = System.nanoTime();
                    sent++;
                    key.interestOps(SelectionKey.OP_READ);
                }
            }
            if (key.isValid() && key.isReadable()) {
                if (!poll.response.hasRemaining()) {
                    poll.response =
                            ByteBuffer.allocate(poll.response.capacity() * 2).put(poll.response.flip());
                }
                int read = poll.channel.read(poll.response);
                if (read < 0 || complete(poll.response)) {
                    finish(key, poll);
                }
            }
        }

        /** True once the buffer holds the headers and Content-Length bytes of body. */
        private static boolean complete(ByteBuffer response) {
            byte[] bytes = Arrays.copyOf(response.array(), response.position());
            String text = new String(bytes, StandardCharsets.ISO_8859_1);
            int headerEnd = text.indexOf("\r\n\r\n");
            if (headerEnd < 0) {
                return false;
            }
            Matcher length = Pattern.compile("(?i)content-length:\\s*(\\d+)").matcher(text.substring(0, headerEnd));
            return length.find() && bytes.length >= headerEnd + 4 + Integer.parseInt(length.group(1));
        }

        private void finish(SelectionKey key, Poll poll) throws IOException {
            poll.answeredNanos = System.nanoTime();
            String text = new String(poll.response.array(), 0, poll.response.position(), StandardCharsets.ISO_8859_1);
            int status = text.length() >= 12 ? Integer.parseInt(text.substring(9, 12)) : -1;
            statuses.merge(status, 1, Integer::sum);
            if (text.contains("\"offset\":")) {
                recordsSeen++;
            }
            answered++;
            key.cancel();
            poll.channel.close();
        }

        int answered() {
            return answered;
        }

        long recordsSeen() {
            return recordsSeen;
        }

        Map<Integer, Integer> statuses() {
            return statuses;
        }

        long[] durationsMs() {
            long[] durations = new long[answered];
            int i = 0;
            for (Poll poll : polls) {
                if (poll != null && poll.answeredNanos != 0) {
                    durations[i++] = (poll.answeredNanos - poll.sentNanos) / 1_000_000;
                }
            }
            return durations;
        }

        @Override
        public void close() throws IOException {
            for (Poll poll : polls) {
                if (poll != null) {
                    poll.channel.close();
                }
            }
            selector.close();
        }
    }
}
