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
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One consumer session. Thread-safe: the activity clock and the poll flag are atomics; the backend
 * handle is thread-safe. Every public method counts as activity (a heartbeat).
 */
public final class ConsumerSession {
    private final String id;
    private final String groupId;
    private final Duration sessionTimeout;
    private final long maxResponseRecordBytes;
    private final ConsumerHandle handle;
    private final Time time;
    private final AtomicBoolean pollInFlight = new AtomicBoolean();
    private volatile long lastActivityNanos;
    private volatile boolean closed;

    ConsumerSession(
            String id,
            String groupId,
            Duration sessionTimeout,
            long maxResponseRecordBytes,
            ConsumerHandle handle,
            Time time) {
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
        return pollInFlight.get();
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
        if (!pollInFlight.compareAndSet(false, true)) {
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
        pollInFlight.set(false);
    }

    public void commit(Map<TopicPartition, Long> offsets) {
        touch();
        handle.commit(offsets);
    }

    /** Commits the current position of every owned partition. */
    public void commitPositions() {
        touch();
        handle.commit(handle.positions());
    }

    public Map<TopicPartition, Long> positions() {
        touch();
        return handle.positions();
    }

    public void seek(TopicPartition partition, SeekTarget target) {
        touch();
        handle.seek(partition, target);
    }

    public Assignment assign(Map<String, Set<Integer>> partitions) {
        touch();
        return handle.assign(partitions);
    }

    boolean isClosed() {
        return closed;
    }

    void closeHandle() {
        closed = true;
        handle.close();
    }
}
