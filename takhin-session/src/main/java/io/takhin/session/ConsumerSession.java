package io.takhin.session;

import io.takhin.backend.Assignment;
import io.takhin.backend.ConsumerHandle;
import io.takhin.backend.Fetch;
import io.takhin.backend.SeekTarget;
import io.takhin.common.ErrorCode;
import io.takhin.common.TakhinException;
import io.takhin.common.Time;
import io.takhin.common.TopicPartition;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * One consumer session. Thread-safe: the activity clock and the poll flag are atomics; the backend
 * handle is thread-safe. Every public method counts as activity (a heartbeat).
 */
public final class ConsumerSession {
    /** How long a call waits for the previous consume response to finish writing (S6). */
    private static final long DELIVERY_WAIT_MS = 5_000;

    private final String id;
    private final String groupId;
    private final Duration sessionTimeout;
    private final long maxResponseRecordBytes;
    private final ConsumerHandle handle;
    private final Time time;
    /** The poll in flight, from its start until {@link #pollDone()}; null when there is none. */
    private final AtomicReference<@Nullable PollState> pollInFlight = new AtomicReference<>();

    /**
     * One poll's state. Replaced as a whole, so "in flight" and "being delivered" can never be seen
     * half-updated by a request that races the end of the previous poll.
     */
    private static final class PollState {
        final CompletableFuture<Void> done = new CompletableFuture<>();
        /** True once the poll's response is being written: the poll is no longer parked. */
        volatile boolean delivering;
    }

    private volatile long lastActivityNanos;
    private volatile boolean closed;
    /** What the consumer reads: its subscription, or the topics of its manual assignment. */
    private volatile List<String> topics;

    ConsumerSession(
            String id,
            String groupId,
            Duration sessionTimeout,
            long maxResponseRecordBytes,
            List<String> topics,
            ConsumerHandle handle,
            Time time) {
        this.topics = List.copyOf(topics);
        this.id = id;
        this.groupId = groupId;
        this.sessionTimeout = sessionTimeout;
        this.maxResponseRecordBytes = maxResponseRecordBytes;
        this.handle = handle;
        this.time = time;
        this.lastActivityNanos = time.nanoTime();
    }

    public String id() {
        return id;
    }

    public String groupId() {
        return groupId;
    }

    Duration sessionTimeout() {
        return sessionTimeout;
    }

    void touch() {
        lastActivityNanos = time.nanoTime();
    }

    /** Nanoseconds on {@link Time#nanoTime()} after which the session expires unless it is active. */
    long deadlineNanos() {
        return lastActivityNanos + sessionTimeout.toNanos();
    }

    boolean pollInFlight() {
        return pollInFlight.get() != null;
    }

    /**
     * If the previous poll's response is still being written, waits (briefly) for that write: a
     * client can receive the bytes and send its next request on another connection before the
     * write's completion reaches us, and that request must see the advanced position (S6).
     */
    private void awaitDelivery() {
        PollState current = pollInFlight.get();
        if (current != null && current.delivering) {
            try {
                current.done.get(DELIVERY_WAIT_MS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                // A client that does not read its response; the caller goes on and may see 409.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException e) {
                throw new IllegalStateException("the poll's completion future never fails", e);
            }
        }
    }

    /** The poll's records are being written to the client; it is no longer parked. */
    public void delivering() {
        PollState current = pollInFlight.get();
        if (current != null) {
            current.delivering = true;
        }
    }

    public Assignment assignment() {
        touch();
        return handle.assignment();
    }

    /**
     * Long-polls (S2: one at a time; S5: at most the configured response size). The caller must call {@link #pollDone()} when it has finished
     * with the fetch, whether or not it was delivered.
     */
    public CompletableFuture<Fetch> poll(int maxRecords, long maxBytes, Duration timeout) {
        awaitDelivery();
        if (!pollInFlight.compareAndSet(null, new PollState())) {
            throw new TakhinException(
                    ErrorCode.POLL_IN_PROGRESS,
                    "consumer " + id + " already has a consume request in flight; send one at a time");
        }
        touch();
        try {
            return handle.poll(maxRecords, Math.min(maxBytes, maxResponseRecordBytes), timeout);
        } catch (RuntimeException e) {
            pollDone();
            throw e;
        }
    }

    /** Ends the poll started by {@link #poll}; the end of a poll is activity too. */
    public void pollDone() {
        touch();
        PollState done = pollInFlight.getAndSet(null);
        if (done != null) {
            done.done.complete(null);
        }
    }

    public void commit(Map<TopicPartition, Long> offsets) {
        touch();
        handle.commit(offsets);
    }

    /** Commits the current position of every owned partition. */
    public void commitPositions() {
        touch();
        awaitDelivery();
        handle.commitPositions();
    }

    public Map<TopicPartition, Long> positions() {
        touch();
        awaitDelivery();
        return handle.positions();
    }

    public void seek(TopicPartition partition, SeekTarget target) {
        touch();
        handle.seek(partition, target);
    }

    public Assignment assign(Map<String, Set<Integer>> partitions) {
        touch();
        Assignment assignment = handle.assign(partitions);
        topics = List.copyOf(new TreeSet<>(partitions.keySet()));
        return assignment;
    }

    /** The subscribed topics, or those of the manual assignment. */
    public List<String> topics() {
        return topics;
    }

    boolean isClosed() {
        return closed;
    }

    void closeHandle() {
        closed = true;
        handle.close();
    }
}
