package io.takhin.backend.kafka;

import io.takhin.backend.Assignment;
import io.takhin.backend.ConsumerHandle;
import io.takhin.backend.Fetch;
import io.takhin.backend.FetchPreparer;
import io.takhin.backend.SeekTarget;
import io.takhin.backend.SubscribeRequest;
import io.takhin.common.ErrorCode;
import io.takhin.common.TakhinException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP consumer as one {@link KafkaConsumer} in its group, owned by one platform thread (K1).
 *
 * <p>The thread runs a loop: run the queued commands (from HTTP requests, in arrival order), then
 * {@code poll} the consumer and put what it returns in a bounded per-partition buffer. The loop
 * never stops while the HTTP client is away, so the member keeps its place in the group (Kafka's
 * heartbeats and rebalances happen inside {@code poll}); when the buffer is full the partitions are
 * paused, not the loop (K2). A command wakes a blocked {@code poll} with {@link
 * KafkaConsumer#wakeup()}; no lock is ever held across a poll.
 *
 * <p>The HTTP position of a partition is the next offset not yet written to the client; Kafka's own
 * position is further on, by what is buffered. A long poll is answered from the buffer; the records
 * stay there until the response is written ({@link KafkaFetch#advance}), so a response that never
 * reached its client is answered again with the same records. The thread prepares the next poll's
 * records ({@link #prepared}), after those of the response in flight while it is being written; a
 * consume that finds them claims them without a command once that response was written, so a
 * draining client does not wait for the thread to finish a Kafka poll, and their encoding (started
 * when they were prepared) overlaps the writing of the previous response.
 *
 * <p>Rebalances use Kafka's eager protocol by default: every member gives up all its partitions
 * and gets its new share in one round. A revocation waits for a response that is being written with
 * records of a revoked partition (K3), so the next owner cannot read them before this one is done.
 * Partitions that come straight back keep this member's position, as the embedded store's sticky
 * assignor keeps them without a revocation.
 *
 * <p>Thread-safety: everything but {@link #commands}, {@link #published}, {@link #prepared} and the
 * flags is confined to the consumer's thread; other threads only enqueue commands, read the
 * published assignment and claim a prepared fetch.
 */
final class KafkaConsumerHandle implements ConsumerHandle {
    private static final Logger log = LoggerFactory.getLogger(KafkaConsumerHandle.class);

    /** Longest single {@code poll}: bounds how late a parked HTTP poll's deadline is noticed. */
    private static final long MAX_POLL_MS = 500;
    /** How long a revocation waits for a response being written (K3). */
    private static final long REVOKE_WAIT_MS = 30_000;
    /** Estimated heap of buffered records per consumer before its partitions are paused (K2). */
    static final long BUFFER_LIMIT_BYTES = 16L * 1024 * 1024;
    /**
     * Heap a buffered record takes beyond its key and value bytes: the {@code ConsumerRecord} (72
     * bytes), the key's and value's {@code ByteBuffer} slices, its headers object and list. Counting it keeps a buffer of
     * small records as small as the limit says: 16 MiB of 100-byte values alone is 50 MB of heap,
     * which every young collection copies while it is buffered.
     */
    static final int RECORD_OVERHEAD_BYTES = 200;

    private final String consumerId;
    private final String groupId;
    private final String cluster;
    private final KafkaConsumer<ByteBuffer, ByteBuffer> consumer;
    private final Executor completions;
    /** Runs on each full prepared fetch, on a completions thread (B4); null if none registered. */
    private final @Nullable FetchPreparer preparer;

    private final long commandTimeoutMs;
    private final Runnable onClosed;
    /** Run by {@link #close()} on the caller's thread once the consumer has left its group. */
    private volatile Runnable afterClose = () -> {};

    private final boolean earliestReset;
    private final MemberContext member;
    private final KafkaTopicAdmin topicAdmin;
    /** The topics this member subscribes to (balanced) or claims partitions of (manual). */
    private volatile Set<String> topics;

    private final ConcurrentLinkedQueue<Runnable> commands = new ConcurrentLinkedQueue<>();
    private volatile boolean inPoll;
    private volatile boolean closed;
    private volatile Assignment published = new Assignment(-1, Set.of());
    private final CompletableFuture<Assignment> firstAssignment = new CompletableFuture<>();
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    /**
     * What to do at close for each caller still waiting. Entries leave as soon as their future
     * completes, so nothing (a delivered fetch, say) is kept alive until the consumer closes.
     */
    private final Map<CompletableFuture<?>, Runnable> waitingAtClose = new ConcurrentHashMap<>();

    // ---- confined to the consumer's thread ----
    private final Map<TopicPartition, RecordBuffer> buffers = new HashMap<>();
    private final Map<TopicPartition, Long> positions = new HashMap<>();
    /** Per partition, one past the last record this member has polled: the partition's end is at least that. */
    private final Map<TopicPartition, Long> seenEnd = new HashMap<>();
    /** Positions given up at the start of an eager rebalance, restored if the partition comes back. */
    private final Map<TopicPartition, Long> revokedPositions = new HashMap<>();
    /** Between an eager revocation and the assignment that ends that rebalance. */
    private boolean rebalancing;

    private boolean paused;
    private int rotation;
    private @Nullable PendingPoll pending;
    private @Nullable KafkaFetch delivering;
    /**
     * The next poll's records, taken while no response is in flight, for a request to claim without
     * waiting for this thread (K1). Written by this thread only; volatile so requests see it.
     */
    private volatile @Nullable KafkaFetch prepared;
    /** The limits of the last poll: a prepared fetch is made for the next poll to ask the same. */
    private int lastMaxRecords = -1;

    private long lastMaxBytes;
    /** Completed at the end of the next rebalance this member takes part in. */
    private final List<CompletableFuture<Void>> rebalanceWaiters = new ArrayList<>();

    private final Listener listener = new Listener();

    /** The one command that changes no records: a poll that keeps a prepared fetch it can take. */
    @FunctionalInterface
    private interface ParkPoll extends Runnable {}

    private record PendingPoll(CompletableFuture<Fetch> result, int maxRecords, long maxBytes, long deadlineNanos) {}

    /** Starts the consumer's thread, which subscribes and joins the group. */
    KafkaConsumerHandle(
            SubscribeRequest request,
            KafkaConsumer<ByteBuffer, ByteBuffer> consumer,
            MemberContext member,
            KafkaTopicAdmin topicAdmin,
            String cluster,
            Executor completions,
            @Nullable FetchPreparer preparer,
            long commandTimeoutMs,
            Runnable onClosed) {
        this.consumerId = request.consumerId();
        this.groupId = request.groupId();
        this.cluster = cluster;
        this.consumer = consumer;
        this.completions = completions;
        this.preparer = preparer;
        this.commandTimeoutMs = commandTimeoutMs;
        this.onClosed = onClosed;
        this.earliestReset = request.autoOffsetReset() == SubscribeRequest.OffsetReset.EARLIEST;
        this.member = member;
        this.topicAdmin = topicAdmin;
        this.topics = Set.copyOf(request.topics());
        List<String> subscribed = request.topics();
        commands.add(() -> consumer.subscribe(subscribed, listener));
        Thread.ofPlatform()
                .name("takhin-kafka-consumer-" + groupId + "-"
                        + consumerId.substring(0, Math.min(8, consumerId.length())))
                .daemon()
                .start(this::run);
    }

    /** Waits until the group has given this member its first share (subscribe answers with it). */
    Assignment awaitFirstAssignment(long timeoutMs) {
        try {
            return firstAssignment.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TakhinException(ErrorCode.SHUTTING_DOWN, "interrupted while joining the group");
        } catch (java.util.concurrent.ExecutionException e) {
            throw KafkaErrors.translate(e.getCause(), "joining group '" + groupId + "'", cluster);
        } catch (java.util.concurrent.TimeoutException e) {
            throw KafkaErrors.unavailable(
                    "joining group '" + groupId + "'",
                    cluster,
                    "the group did not assign partitions within " + timeoutMs + " ms",
                    null);
        }
    }

    String consumerId() {
        return consumerId;
    }

    String groupId() {
        return groupId;
    }

    Set<String> topics() {
        return topics;
    }

    void afterClose(Runnable action) {
        afterClose = action;
    }

    /**
     * Completes when this member's next rebalance has given it its share (at once if the consumer is
     * closed). With {@code start}, asks the group to rebalance now (a topic changed, a member left);
     * without, waits for one someone else started (a join).
     */
    CompletableFuture<Void> nextRebalance(boolean start) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        answerAtClose(done, () -> done.complete(null));
        enqueue(() -> {
            if (closed) {
                done.complete(null);
                return;
            }
            rebalanceWaiters.add(done);
            if (start) {
                consumer.enforceRebalance();
            }
        });
        return done;
    }

    // ---- ConsumerHandle: called on request threads ------------------------------------------------

    @Override
    public Assignment assignment() {
        return published;
    }

    @Override
    public CompletableFuture<Fetch> poll(int maxRecords, long maxBytes, Duration timeout) {
        // The fast path: records this thread prepared for a poll like this one, claimed at once. A
        // queued command (a seek, say) comes first, so then the poll queues behind it.
        KafkaFetch ready = prepared;
        if (ready != null && !closed && commands.isEmpty() && ready.claim(maxRecords, maxBytes)) {
            wake(); // to prepare the records after these while they are being sent
            return CompletableFuture.completedFuture(ready);
        }
        CompletableFuture<Fetch> result = new CompletableFuture<>();
        long deadlineNanos = System.nanoTime() + timeout.toNanos();
        enqueue((ParkPoll) () -> {
            KafkaFetch kept = prepared;
            if (kept == null || !kept.answers(maxRecords, maxBytes)) {
                withdrawPrepared(); // made for other limits
            }
            lastMaxRecords = maxRecords;
            lastMaxBytes = maxBytes;
            pending = new PendingPoll(result, maxRecords, maxBytes, deadlineNanos);
            answerPendingPoll();
        });
        // Closed before the command could run: answered empty rather than never.
        answerAtClose(result, () -> result.complete(Fetch.empty()));
        return result;
    }

    @Override
    public void commit(Map<io.takhin.common.TopicPartition, Long> offsets) {
        call("committing offsets", () -> {
            Map<TopicPartition, OffsetAndMetadata> toCommit = new HashMap<>();
            for (Map.Entry<io.takhin.common.TopicPartition, Long> entry : offsets.entrySet()) {
                TopicPartition partition = kafka(entry.getKey());
                requireOwned(partition);
                toCommit.put(partition, new OffsetAndMetadata(entry.getValue()));
            }
            // Most commits are at or below what this member has seen; only the others ask Kafka,
            // through the Admin client: the consumer's own connection may be held by a long fetch.
            Set<TopicPartition> unknown = new HashSet<>();
            toCommit.forEach((partition, offset) -> {
                if (offset.offset() > seenEnd.getOrDefault(partition, 0L)) {
                    unknown.add(partition);
                }
            });
            Map<TopicPartition, Long> ends = unknown.isEmpty() ? Map.of() : topicAdmin.endOffsets(unknown);
            for (Map.Entry<TopicPartition, OffsetAndMetadata> entry : toCommit.entrySet()) {
                long offset = entry.getValue().offset();
                long end = ends.getOrDefault(entry.getKey(), seenEnd.getOrDefault(entry.getKey(), 0L));
                if (offset < 0 || offset > end) {
                    throw TakhinException.invalidArgument("offset " + offset + " for partition " + entry.getKey()
                            + " is outside 0.." + end + " (the partition's end)");
                }
            }
            commitSync(toCommit);
            return null;
        });
    }

    @Override
    public void commitPositions() {
        call("committing positions", () -> {
            if (rebalancing) {
                finishRebalance(); // else the positions of the revoked partitions would be left out
            }
            Map<TopicPartition, OffsetAndMetadata> toCommit = new HashMap<>();
            for (TopicPartition partition : consumer.assignment()) {
                toCommit.put(partition, new OffsetAndMetadata(position(partition)));
            }
            if (!toCommit.isEmpty()) {
                commitSync(toCommit);
            }
            return null;
        });
    }

    @Override
    public Map<io.takhin.common.TopicPartition, Long> positions() {
        return call("reading positions", () -> {
            Map<io.takhin.common.TopicPartition, Long> result = new TreeMap<>();
            for (TopicPartition partition : consumer.assignment()) {
                result.put(takhin(partition), position(partition));
            }
            return result;
        });
    }

    @Override
    public void seek(io.takhin.common.TopicPartition target, SeekTarget to) {
        call("seeking", () -> {
            TopicPartition partition = kafka(target);
            requireOwned(partition);
            // Through the Admin client: the consumer's own connection may be held by a long fetch.
            long offset = switch (to) {
                case SeekTarget.Offset exact ->
                    exact.offset() >= topicAdmin.offset(partition, OffsetSpec.earliest())
                            ? exact.offset()
                            : resetOffset(partition);
                case SeekTarget.Beginning beginning -> topicAdmin.offset(partition, OffsetSpec.earliest());
                case SeekTarget.End end -> topicAdmin.offset(partition, OffsetSpec.latest());
                case SeekTarget.Timestamp timestamp -> {
                    long found = topicAdmin.offset(partition, OffsetSpec.forTimestamp(timestamp.timestampMs()));
                    yield found >= 0 ? found : topicAdmin.offset(partition, OffsetSpec.latest());
                }
            };
            // Past the end is allowed: Kafka resets its own fetch position, and the buffer drops
            // records below ours until the partition reaches it.
            consumer.seek(partition, offset);
            buffers.remove(partition);
            positions.put(partition, offset);
            return null;
        });
    }

    @Override
    public Assignment assign(Map<String, Set<Integer>> partitions) {
        Set<TopicPartition> wanted = new HashSet<>();
        for (Map.Entry<String, Set<Integer>> entry : partitions.entrySet()) {
            int count = topicAdmin.partitionCount(entry.getKey());
            for (int id : entry.getValue()) {
                if (id < 0 || id >= count) {
                    throw TakhinException.partitionNotFound(entry.getKey(), id, count);
                }
                wanted.add(new TopicPartition(entry.getKey(), id));
            }
        }
        return call("assigning partitions", () -> {
            Set<TopicPartition> before = member.manual();
            Set<String> topicsBefore = topics;
            claim(wanted);
            if (!consumer.assignment().equals(wanted)) {
                Set<TopicPartition> refused = new TreeSet<>(TakhinAssignor.ORDER);
                refused.addAll(wanted);
                refused.removeAll(consumer.assignment());
                if (before == null) {
                    member.manual(null);
                    resubscribe(topicsBefore);
                } else {
                    claim(before);
                }
                throw new TakhinException(
                        ErrorCode.PARTITION_NOT_OWNED,
                        "partitions " + refused + " are held by another manually assigned consumer of group '" + groupId
                                + "'; nothing changed");
            }
            return published;
        });
    }

    /**
     * K6: a manual assignment is a claim the group's assignor honours, so the member stays in the
     * group (it can commit) and balanced members never get its partitions. Waits for the rebalance.
     */
    private void claim(Set<TopicPartition> wanted) {
        member.manual(wanted);
        Set<String> claimedTopics = new TreeSet<>();
        wanted.forEach(partition -> claimedTopics.add(partition.topic()));
        resubscribe(claimedTopics);
    }

    /** Subscribes to {@code newTopics} (or rejoins if unchanged) and runs polls until the rebalance ends. */
    private void resubscribe(Set<String> newTopics) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        rebalanceWaiters.add(done);
        if (newTopics.equals(consumer.subscription())) {
            consumer.enforceRebalance();
        } else {
            consumer.subscribe(newTopics, listener);
        }
        topics = Set.copyOf(newTopics);
        pollUntil(done);
    }

    /** Runs the rebalance that is in progress, or that Kafka has asked for, to its end (bounded). */
    private void finishRebalance() {
        if (consumer.subscription().isEmpty()) {
            rebalancing = false; // out of the group (an empty manual assignment): nothing to wait for
            return;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        rebalanceWaiters.add(done);
        pollUntil(done);
    }

    /** Polls (buffering what comes) until {@code done}, which a completed rebalance completes. */
    private void pollUntil(CompletableFuture<Void> done) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(KafkaConsumers.JOIN_TIMEOUT_MS);
        while (!done.isDone()) {
            if (System.nanoTime() > deadline) {
                rebalanceWaiters.remove(done);
                throw KafkaErrors.unavailable(
                        "waiting for group '" + groupId + "' to rebalance", cluster, "it did not finish in time", null);
            }
            try {
                buffer(consumer.poll(Duration.ofMillis(100)));
            } catch (WakeupException e) {
                // a command arrived; it runs after this one
            }
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        enqueue(() -> closed = true);
        try {
            terminated.get(commandTimeoutMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.warn("Kafka consumer {} of group {} did not close within {} ms", consumerId, groupId, commandTimeoutMs);
        }
        afterClose.run();
    }

    /** Runs {@code atClose} if the consumer terminates before {@code future} completes. */
    private void answerAtClose(CompletableFuture<?> future, Runnable atClose) {
        waitingAtClose.put(future, atClose);
        future.whenComplete((ignored, error) -> waitingAtClose.remove(future));
        if (terminated.isDone()) {
            atClose.run();
        }
    }

    // ---- the consumer's thread ------------------------------------------------------------------

    private void run() {
        try {
            while (!closed) {
                try {
                    runCommands();
                    if (closed) {
                        break;
                    }
                    settleDelivery();
                    answerPendingPoll();
                    prepareNext();
                    pauseOrResume();
                    inPoll = true;
                    ConsumerRecords<ByteBuffer, ByteBuffer> records;
                    try {
                        if (!commands.isEmpty()) {
                            continue;
                        }
                        records = consumer.poll(Duration.ofMillis(pollTimeoutMs()));
                    } finally {
                        inPoll = false;
                    }
                    buffer(records);
                    answerPendingPoll();
                    prepareNext();
                } catch (WakeupException e) {
                    // A command arrived; the loop runs it.
                } catch (RuntimeException e) {
                    log.warn("Kafka consumer {} of group {}: {}", consumerId, groupId, e.toString());
                    firstAssignment.completeExceptionally(e);
                    sleepQuietly(100);
                }
            }
        } finally {
            shutDown();
        }
    }

    private void shutDown() {
        closed = true;
        withdrawPrepared(); // a member leaving its group hands out nothing more
        PendingPoll waiting = pending;
        pending = null;
        if (waiting != null) {
            completions.execute(() -> waiting.result().complete(Fetch.empty()));
        }
        try {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5))); // leaves the group: others rebalance at once
        } catch (RuntimeException e) {
            log.warn("closing Kafka consumer {} of group {}: {}", consumerId, groupId, e.toString());
        }
        published = new Assignment(published.generationId(), Set.of());
        firstAssignment.completeExceptionally(new TakhinException(ErrorCode.CONSUMER_NOT_FOUND, "consumer closed"));
        // Commands that arrived too late still get an answer.
        for (Runnable command = commands.poll(); command != null; command = commands.poll()) {
            try {
                command.run();
            } catch (RuntimeException e) {
                log.debug("command after close", e);
            }
        }
        terminated.complete(null);
        List.copyOf(waitingAtClose.values()).forEach(Runnable::run);
        onClosed.run();
    }

    private long pollTimeoutMs() {
        PendingPoll waiting = pending;
        if (waiting == null) {
            return MAX_POLL_MS;
        }
        long remainingMs = TimeUnit.NANOSECONDS.toMillis(waiting.deadlineNanos() - System.nanoTime());
        return Math.max(0, Math.min(MAX_POLL_MS, remainingMs));
    }

    private void runCommands() {
        for (Runnable command = commands.poll(); command != null; command = commands.poll()) {
            if (!(command instanceof ParkPoll)) {
                withdrawPrepared(); // a command may change the buffers or positions it was taken from
            }
            settleDelivery();
            command.run();
        }
    }

    /** Adds polled records to the buffers, dropping any below the HTTP position (after a seek). */
    private void buffer(ConsumerRecords<ByteBuffer, ByteBuffer> records) {
        for (TopicPartition partition : records.partitions()) {
            List<ConsumerRecord<ByteBuffer, ByteBuffer>> polled = records.records(partition);
            if (polled.isEmpty()) {
                continue;
            }
            // Kafka's position is already past these records; with no HTTP position yet, the first
            // of them is where the client stands.
            long position =
                    positions.computeIfAbsent(partition, p -> polled.getFirst().offset());
            RecordBuffer buffer = buffers.computeIfAbsent(partition, p -> new RecordBuffer());
            long last = buffer.lastOffset();
            seenEnd.merge(partition, polled.getLast().offset() + 1, Math::max);
            for (ConsumerRecord<ByteBuffer, ByteBuffer> record : polled) {
                if (record.offset() < position || record.offset() <= last) {
                    continue;
                }
                buffer.add(record, size(record));
            }
        }
    }

    private void pauseOrResume() {
        long bufferedBytes = 0;
        for (RecordBuffer buffer : buffers.values()) {
            bufferedBytes += buffer.heapBytes();
        }
        if (!paused && bufferedBytes >= BUFFER_LIMIT_BYTES) {
            consumer.pause(consumer.assignment());
            paused = true;
        } else if (paused && bufferedBytes < BUFFER_LIMIT_BYTES / 2) {
            consumer.resume(consumer.paused());
            paused = false;
        }
    }

    /** Answers the parked HTTP poll if the buffer has records for it or its time is up. */
    private void answerPendingPoll() {
        PendingPoll waiting = pending;
        if (waiting == null) {
            return;
        }
        if (waiting.result().isDone()) { // ended by the caller (its client went away)
            pending = null;
            return;
        }
        if (delivering != null) {
            prepareNext(); // the previous response is still being written; its records come first
            return;
        }
        KafkaFetch ready = prepared;
        KafkaFetch fetch;
        if (ready != null && ready.claim(waiting.maxRecords(), waiting.maxBytes())) {
            prepared = null; // with whatever work was done on it ahead (B4)
            fetch = ready;
        } else {
            withdrawPrepared();
            if (delivering != null) {
                return; // a request claimed it after all: the next round answers this poll
            }
            fetch = takeFetch(waiting.maxRecords(), waiting.maxBytes(), null);
        }
        if (fetch != null) {
            pending = null;
            delivering = fetch;
            completions.execute(() -> {
                if (!waiting.result().complete(fetch)) {
                    fetch.abandon();
                }
            });
        } else if (System.nanoTime() - waiting.deadlineNanos() >= 0 || closed) {
            pending = null;
            completions.execute(() -> waiting.result().complete(Fetch.empty()));
        }
    }

    /**
     * Up to {@code maxRecords} buffered records of owned partitions whose keys and values total at
     * most {@code maxBytes} (one larger record alone is allowed), partitions in rotating order so a
     * busy partition cannot starve the others; null if there are none. With {@code after} (the
     * response in flight), the records that follow its own; null if the buffers no longer start
     * with its records (a seek or revocation came after it).
     */
    private @Nullable KafkaFetch takeFetch(int maxRecords, long maxBytes, @Nullable KafkaFetch after) {
        Map<TopicPartition, KafkaFetch.Span> skipped = after == null ? Map.of() : after.spans();
        for (Map.Entry<TopicPartition, KafkaFetch.Span> entry : skipped.entrySet()) {
            RecordBuffer buffer = buffers.get(entry.getKey());
            Long position = positions.get(entry.getKey());
            if (buffer == null
                    || position == null
                    || position != entry.getValue().fromOffset()
                    || buffer.size() < entry.getValue().count()) {
                return null;
            }
        }
        List<TopicPartition> order = new ArrayList<>();
        for (Map.Entry<TopicPartition, RecordBuffer> entry : buffers.entrySet()) {
            if (entry.getValue().size() > skip(skipped, entry.getKey())) {
                order.add(entry.getKey());
            }
        }
        if (order.isEmpty()) {
            return null;
        }
        order.sort(TakhinAssignor.ORDER);
        int start = Math.floorMod(rotation++, order.size());
        int available = 0;
        for (TopicPartition partition : order) {
            available += buffers.get(partition).size() - skip(skipped, partition);
        }
        // Sized up front: growing a list of 10,000 records copied it a dozen times per response.
        List<ConsumerRecord<ByteBuffer, ByteBuffer>> taken = new ArrayList<>(Math.min(maxRecords, available));
        Map<TopicPartition, KafkaFetch.Span> spans = new LinkedHashMap<>();
        long bytesLeft = maxBytes;
        boolean full = false;
        for (int i = 0; i < order.size() && taken.size() < maxRecords; i++) {
            TopicPartition partition = order.get((start + i) % order.size());
            RecordBuffer buffer = buffers.get(partition);
            KafkaFetch.Span before = skipped.get(partition);
            long next = -1;
            int count = 0;
            for (int at = before == null ? 0 : before.count(); at < buffer.size(); at++) {
                int size = buffer.recordSize(at);
                if (taken.size() >= maxRecords || (size > bytesLeft && !taken.isEmpty())) {
                    full = true;
                    break;
                }
                taken.add(buffer.record(at));
                bytesLeft -= size;
                next = buffer.offset(at) + 1;
                count++;
            }
            if (count > 0) {
                long from = before == null ? position(partition) : before.nextOffset();
                spans.put(partition, new KafkaFetch.Span(from, next, count));
            }
        }
        full |= taken.size() >= maxRecords;
        // Once the response is written or abandoned the loop wakes, settles it and prepares the next
        // poll's records while the client reads this one.
        return new KafkaFetch(taken, spans, this::wake, maxRecords, maxBytes, full, after);
    }

    private static int skip(Map<TopicPartition, KafkaFetch.Span> skipped, TopicPartition partition) {
        KafkaFetch.Span span = skipped.get(partition);
        return span == null ? 0 : span.count();
    }

    /** Applies the outcome of the response being written, once it is known. */
    private void settleDelivery() {
        KafkaFetch fetch = delivering;
        if (fetch != null && fetch.settled().isDone()) {
            delivering = null;
            applyDelivery(fetch);
        }
        adoptClaimed();
    }

    /** Drops the records of a written response and moves the positions past them. */
    private void applyDelivery(KafkaFetch fetch) {
        if (!fetch.settled().join()) {
            // Not written: the records stay buffered and are sent again, so the fetch prepared to
            // follow them (which no request could claim) is taken back.
            withdrawPrepared();
            return;
        }
        fetch.spans().forEach((partition, span) -> {
            RecordBuffer buffer = buffers.get(partition);
            Long position = positions.get(partition);
            if (buffer == null || position == null || position != span.fromOffset()) {
                return; // revoked or sought meanwhile: the delivery no longer moves anything
            }
            if (buffer.size() >= span.count()) {
                buffer.removeFirst(span.count());
            } else {
                buffers.remove(partition); // refilled after a seek to the same offset: shorter than sent
            }
            positions.put(partition, span.nextOffset());
        });
    }

    /** K3: before giving up {@code partitions}, waits for a response being written with their records. */
    private void awaitDelivery(Collection<TopicPartition> partitions) {
        KafkaFetch fetch = delivering;
        if (fetch == null || !fetch.touches(partitions)) {
            return;
        }
        try {
            fetch.settled().get(REVOKE_WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.warn(
                    "consumer {} of group {}: a response was still being written {} ms after its partitions"
                            + " were revoked; giving them up anyway",
                    consumerId,
                    groupId,
                    REVOKE_WAIT_MS);
        }
        settleDelivery();
    }

    /**
     * The HTTP position: the next offset not yet written to the client. Known for every partition
     * that ever had records buffered; before that, Kafka's position is the same offset.
     */
    private long position(TopicPartition partition) {
        Long known = positions.get(partition);
        if (known != null) {
            return known;
        }
        long fromKafka = retryOnWakeup(() -> consumer.position(partition));
        positions.put(partition, fromKafka);
        return fromKafka;
    }

    /** Where {@code auto_offset_reset} puts a position below the log start. */
    private long resetOffset(TopicPartition partition) {
        return topicAdmin.offset(partition, earliestReset ? OffsetSpec.earliest() : OffsetSpec.latest());
    }

    /**
     * 409 unless this member owns the partition. Half-way through an eager rebalance (everything
     * revoked, the new share not yet given) the answer is not known yet: the rebalance is run to its
     * end first, so a partition that stays with this member is not refused meanwhile.
     */
    private void requireOwned(TopicPartition partition) {
        if (rebalancing) {
            finishRebalance();
        }
        if (!consumer.assignment().contains(partition)) {
            throw notOwned(partition.topic() + "-" + partition.partition());
        }
    }

    private TakhinException notOwned(String partition) {
        return new TakhinException(
                ErrorCode.PARTITION_NOT_OWNED,
                "partition " + partition + " is not owned by consumer " + consumerId
                        + " (not assigned to it, or moved to another member by a rebalance)");
    }

    private void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
        try {
            try {
                retryOnWakeup(() -> {
                    consumer.commitSync(offsets);
                    return null;
                });
            } catch (RebalanceInProgressException e) {
                // The group began a rebalance this member has not joined yet: join it, and commit if
                // the partitions stayed here.
                finishRebalance();
                offsets.keySet().forEach(this::requireOwned);
                retryOnWakeup(() -> {
                    consumer.commitSync(offsets);
                    return null;
                });
            }
        } catch (CommitFailedException | RebalanceInProgressException e) {
            throw new TakhinException(
                    ErrorCode.PARTITION_NOT_OWNED,
                    "nothing committed: group '" + groupId + "' is rebalancing or consumer " + consumerId
                            + " no longer owns these partitions (" + e.getMessage() + ")",
                    e);
        }
    }

    /** Key and value bytes: what {@code max_bytes_total} counts (a record is far below 2 GiB). */
    private static int size(ConsumerRecord<ByteBuffer, ByteBuffer> record) {
        return Math.max(record.serializedKeySize(), 0) + Math.max(record.serializedValueSize(), 0);
    }

    // ---- commands ---------------------------------------------------------------------------------

    private void enqueue(Runnable command) {
        commands.add(command);
        wake();
    }

    /** A prepared fetch a request has claimed is the response in flight now. */
    private void adoptClaimed() {
        KafkaFetch ready = prepared;
        if (ready != null && ready.claimed()) {
            prepared = null;
            deliver(ready);
        }
    }

    /**
     * A claimed fetch is the response in flight now. If it was prepared while another was being
     * written, that one was written before the claim (KafkaFetch.claim), so its outcome is applied
     * first.
     */
    private void deliver(KafkaFetch claimed) {
        KafkaFetch before = delivering;
        if (before != null) {
            delivering = null;
            applyDelivery(before);
        }
        delivering = claimed;
    }

    /** Takes the prepared fetch back before its records may change; one a request won is adopted. */
    private void withdrawPrepared() {
        KafkaFetch ready = prepared;
        if (ready != null) {
            prepared = null;
            if (!ready.withdraw()) {
                deliver(ready);
            }
        }
    }

    /**
     * Takes the records the next poll (with the last poll's limits) would get, so its request can
     * claim them without waiting for this thread: after the records of the response in flight, if
     * there is one, so their encoding overlaps its writing. Taken again while the buffer grows and
     * the prepared fetch is not yet full.
     */
    private void prepareNext() {
        adoptClaimed();
        if ((pending != null && delivering == null) || lastMaxRecords < 0 || rebalancing || closed) {
            return; // a parked poll with nothing in flight is answered instead
        }
        KafkaFetch ready = prepared;
        int inFlight = delivering == null ? 0 : delivering.recordCount();
        if (ready != null && (ready.full() || ready.recordCount() >= bufferedRecords() - inFlight)) {
            return; // nothing more to add
        }
        withdrawPrepared();
        KafkaFetch next = takeFetch(lastMaxRecords, lastMaxBytes, delivering);
        prepared = next;
        // Only a full fetch is final: one that may still grow would be taken again, its work lost.
        FetchPreparer work = preparer;
        if (next != null && next.full() && work != null) {
            completions.execute(() -> next.prepare(work));
        }
    }

    private int bufferedRecords() {
        int count = 0;
        for (RecordBuffer buffer : buffers.values()) {
            count += buffer.size();
        }
        return count;
    }

    /** Interrupts a blocked poll so the loop runs commands or settles a delivery now. */
    private void wake() {
        if (inPoll) {
            consumer.wakeup();
        }
    }

    /** Runs {@code body} on the consumer's thread and waits for its result. */
    private <T> T call(String what, Supplier<T> body) {
        if (closed) {
            throw new TakhinException(ErrorCode.CONSUMER_NOT_FOUND, "consumer " + consumerId + " is closed");
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        answerAtClose(
                result,
                () -> result.completeExceptionally(
                        new TakhinException(ErrorCode.CONSUMER_NOT_FOUND, "consumer " + consumerId + " is closed")));
        enqueue(() -> {
            if (closed) {
                result.completeExceptionally(
                        new TakhinException(ErrorCode.CONSUMER_NOT_FOUND, "consumer " + consumerId + " is closed"));
                return;
            }
            try {
                result.complete(retryOnWakeup(body));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return KafkaErrors.await(result, commandTimeoutMs, what, cluster);
    }

    /**
     * A wakeup meant for a poll may land on the next blocking call instead (it is one-shot); that
     * call is then simply made again.
     */
    private static <T> T retryOnWakeup(Supplier<T> body) {
        try {
            return body.get();
        } catch (WakeupException e) {
            return body.get();
        }
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static TopicPartition kafka(io.takhin.common.TopicPartition partition) {
        return new TopicPartition(partition.topic(), partition.partition());
    }

    private static io.takhin.common.TopicPartition takhin(TopicPartition partition) {
        return new io.takhin.common.TopicPartition(partition.topic(), partition.partition());
    }

    private static Set<io.takhin.common.TopicPartition> takhin(Collection<TopicPartition> partitions) {
        Set<io.takhin.common.TopicPartition> result = new HashSet<>();
        for (TopicPartition partition : partitions) {
            result.add(takhin(partition));
        }
        return result;
    }

    /** Group membership changes, called on the consumer's thread inside {@code poll}. */
    private final class Listener implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            withdrawPrepared(); // no request may claim records of these partitions from now on
            awaitDelivery(partitions);
            // The generation these partitions belonged to is over; the one being formed is next.
            giveUp(partitions, true, partitions.isEmpty() ? 0 : 1);
            rebalancing = !partitions.isEmpty();
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            for (TopicPartition partition : partitions) {
                Long kept = revokedPositions.get(partition);
                if (kept != null) {
                    consumer.seek(partition, kept);
                    positions.put(partition, kept);
                }
            }
            revokedPositions.clear();
            rebalancing = false;
            Assignment assignment =
                    new Assignment(consumer.groupMetadata().generationId(), takhin(consumer.assignment()));
            published = assignment;
            firstAssignment.complete(assignment);
            rebalanceWaiters.forEach(waiter -> waiter.complete(null));
            rebalanceWaiters.clear();
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            // Out of the group: others may own these already, so nothing is kept or waited for.
            withdrawPrepared();
            giveUp(partitions, false, 0);
            revokedPositions.clear();
            rebalancing = false;
        }

        /** Drops the partitions' buffers and positions (kept for a quick return if asked) and publishes. */
        private void giveUp(Collection<TopicPartition> partitions, boolean keepPositions, int generationStep) {
            for (TopicPartition partition : partitions) {
                Long position = positions.remove(partition);
                if (position != null && keepPositions) {
                    revokedPositions.put(partition, position);
                }
                seenEnd.remove(partition); // the topic may be deleted and created again, shorter
                buffers.remove(partition);
            }
            Set<io.takhin.common.TopicPartition> left = new HashSet<>(published.partitions());
            left.removeAll(takhin(partitions));
            published = new Assignment(published.generationId() + generationStep, left);
        }
    }
}
