package io.takhin.backend.embedded;

import io.takhin.backend.Assignment;
import io.takhin.backend.ConsumerHandle;
import io.takhin.backend.Fetch;
import io.takhin.backend.SeekTarget;
import io.takhin.backend.SubscribeRequest.OffsetReset;
import io.takhin.common.ErrorCode;
import io.takhin.common.TakhinException;
import io.takhin.common.Time;
import io.takhin.common.TopicPartition;
import io.takhin.coordinator.GroupCoordinator;
import io.takhin.coordinator.MemberAssignment;
import io.takhin.storage.log.LogManager;
import io.takhin.storage.log.PartitionLog;
import io.takhin.storage.log.ReadResult;
import io.takhin.storage.record.RecordBatches;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One group member over the embedded store. Thread-safe: positions are a concurrent map; the
 * assignment is the coordinator's published snapshot (read lock-free); a poll runs on the calling
 * thread and, after a wait, on a virtual thread of {@code pollExecutor}.
 *
 * <p>Positions (P1) exist only for owned partitions: the coordinator's revocation callback removes
 * the position of every partition the member loses (a move, a deleted topic), and a newly owned one
 * starts at the group's committed offset, else per {@code auto_offset_reset}. A poll re-reads the snapshot after reading records and drops the
 * partitions that moved meanwhile (coordinator invariant C1), so it never returns records of a
 * partition the consumer does not own at that instant.
 */
final class EmbeddedConsumer implements ConsumerHandle {
    /** Bytes a read asks for beyond the remaining key and value budget: batch and record framing. */
    private static final int READ_SLACK_BYTES = 64 * 1024;
    /** Bytes one storage read asks for at most; a poll reads more chunks while budget remains. */
    private static final int READ_CHUNK_BYTES = 1024 * 1024;

    private final String groupId;
    private final String memberId;
    private final OffsetReset autoOffsetReset;
    private final LogManager logs;
    private final GroupCoordinator coordinator;
    private final Executor pollExecutor;
    private final Time time;
    private final LiveConsumers live;
    private final ConcurrentHashMap<TopicPartition, Long> positions = new ConcurrentHashMap<>();
    /** Where the next poll starts in the sorted partition list, so no partition starves the rest. */
    private final AtomicInteger rotation = new AtomicInteger();

    private volatile boolean closed;

    EmbeddedConsumer(
            String groupId,
            String memberId,
            OffsetReset autoOffsetReset,
            LogManager logs,
            GroupCoordinator coordinator,
            Executor pollExecutor,
            Time time,
            LiveConsumers live) {
        this.groupId = groupId;
        this.memberId = memberId;
        this.autoOffsetReset = autoOffsetReset;
        this.logs = logs;
        this.coordinator = coordinator;
        this.pollExecutor = pollExecutor;
        this.time = time;
        this.live = live;
    }

    private static final MemberAssignment NOTHING = new MemberAssignment(0, Set.of());

    private MemberAssignment snapshot() {
        return coordinator.assignment(groupId, memberId).orElse(NOTHING);
    }

    @Override
    public Assignment assignment() {
        MemberAssignment snapshot = snapshot();
        return new Assignment(snapshot.generationId(), snapshot.partitions());
    }

    /** The position of every owned partition whose topic exists, initialising new ones (P1). */
    private Map<TopicPartition, Long> ownedPositions(MemberAssignment snapshot) {
        positions.keySet().retainAll(snapshot.partitions());
        Map<TopicPartition, Long> owned = new TreeMap<>();
        for (TopicPartition partition : snapshot.partitions()) {
            Optional<PartitionLog> log = log(partition);
            if (log.isPresent()) {
                owned.put(partition, positions.computeIfAbsent(partition, p -> initialPosition(p, log.get())));
            }
        }
        return owned;
    }

    private long initialPosition(TopicPartition partition, PartitionLog log) {
        OptionalLong committed = coordinator.committed(groupId, partition);
        return committed.isPresent() ? committed.getAsLong() : resetPosition(log);
    }

    private long resetPosition(PartitionLog log) {
        return autoOffsetReset == OffsetReset.EARLIEST ? log.logStartOffset() : log.highWatermark();
    }

    private Optional<PartitionLog> log(TopicPartition partition) {
        return logs.topic(partition.topic())
                .filter(topic -> partition.partition() < topic.partitionCount())
                .map(topic -> topic.partition(partition.partition()))
                .filter(log -> !log.isClosed());
    }

    @Override
    public CompletableFuture<Fetch> poll(int maxRecords, long maxBytes, Duration timeout) {
        CompletableFuture<Fetch> result = new CompletableFuture<>();
        long deadlineNanos = time.nanoTime() + timeout.toNanos();
        attempt(result, maxRecords, maxBytes, deadlineNanos);
        return result;
    }

    /** Reads what is there; answers if anything was, else waits for an append or the deadline. */
    private void attempt(CompletableFuture<Fetch> result, int maxRecords, long maxBytes, long deadlineNanos) {
        try {
            if (closed || result.isDone()) {
                result.complete(Fetch.empty());
                return;
            }
            Optional<MemberAssignment> seen = coordinator.assignment(groupId, memberId);
            Map<TopicPartition, Long> owned = ownedPositions(seen.orElse(NOTHING));
            List<EmbeddedFetch.Chunk> chunks = read(owned, maxRecords, maxBytes);
            if (!chunks.isEmpty()) {
                MemberAssignment after = snapshot();
                chunks.removeIf(chunk -> !after.owns(chunk.partition()));
                if (!chunks.isEmpty()) {
                    result.complete(new EmbeddedFetch(chunks, this::advance));
                    return;
                }
            }
            long remainingNanos = deadlineNanos - time.nanoTime();
            if (remainingNanos <= 0) {
                result.complete(Fetch.empty());
                return;
            }
            waitForAppendOrRebalance(owned, seen, result)
                    .completeOnTimeout(null, remainingNanos, TimeUnit.NANOSECONDS)
                    .thenRunAsync(() -> attempt(result, maxRecords, maxBytes, deadlineNanos), pollExecutor);
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
        }
    }

    /**
     * Completes when any owned partition gets a record at this consumer's position, or when the
     * assignment changes (partitions granted during the wait must be read at once, not after the
     * timeout), or when the caller ended the poll by completing {@code result} itself.
     */
    private CompletableFuture<Object> waitForAppendOrRebalance(
            Map<TopicPartition, Long> owned, Optional<MemberAssignment> seen, CompletableFuture<Fetch> result) {
        CompletableFuture<Object> any = new CompletableFuture<>();
        result.whenComplete((ignored, error) -> any.complete(null));
        List<CompletableFuture<Void>> waits = new ArrayList<>(owned.size() + 1);
        waits.add(coordinator.assignmentChange(groupId, memberId, seen));
        for (Map.Entry<TopicPartition, Long> entry : owned.entrySet()) {
            log(entry.getKey()).ifPresent(log -> waits.add(log.awaitAppend(entry.getValue())));
        }
        for (CompletableFuture<Void> wait : waits) {
            wait.thenRun(() -> any.complete(null));
        }
        // Whatever ends the wait (an append, the deadline), the other registrations are withdrawn.
        any.whenComplete((ignored, error) -> waits.forEach(wait -> wait.cancel(false)));
        return any;
    }

    /**
     * Reads up to {@code maxRecords} records whose keys and values total at most {@code maxBytes}
     * (one larger record alone is allowed), taking partitions in rotating order.
     */
    private List<EmbeddedFetch.Chunk> read(Map<TopicPartition, Long> owned, int maxRecords, long maxBytes) {
        List<EmbeddedFetch.Chunk> chunks = new ArrayList<>();
        if (owned.isEmpty()) {
            return chunks;
        }
        List<TopicPartition> order = new ArrayList<>(owned.keySet());
        int start = Math.floorMod(rotation.getAndIncrement(), order.size());
        Budget budget = new Budget(maxRecords, maxBytes);
        for (int i = 0; i < order.size() && budget.records > 0; i++) {
            TopicPartition partition = order.get((start + i) % order.size());
            readPartition(partition, owned.get(partition), budget, chunks);
        }
        return chunks;
    }

    /** What is left of a poll's record and byte allowance. Confined to one poll. */
    private static final class Budget {
        int records;
        long bytes;
        boolean anyRecord;

        Budget(int records, long bytes) {
            this.records = records;
            this.bytes = bytes;
        }
    }

    /**
     * Reads one partition in chunks of at most {@value #READ_CHUNK_BYTES} bytes while budget is left,
     * so a large {@code max_bytes_total} never makes one read allocate far more than the records
     * the poll may return.
     */
    private void readPartition(
            TopicPartition partition, long position, Budget budget, List<EmbeddedFetch.Chunk> chunks) {
        Optional<PartitionLog> maybeLog = log(partition);
        if (maybeLog.isEmpty()) {
            return;
        }
        PartitionLog log = maybeLog.get();
        long next = position;
        while (budget.records > 0 && (budget.bytes > 0 || !budget.anyRecord)) {
            int readBytes = (int) Math.min(READ_CHUNK_BYTES, Math.max(budget.bytes, 1) + READ_SLACK_BYTES);
            ReadResult result = log.read(next, readBytes);
            if (result instanceof ReadResult.OffsetOutOfRange && next == position) {
                // Below the log start (retention deleted it): reset per auto_offset_reset, as a seek would.
                long reset = resetPosition(log);
                positions.replace(partition, position, reset);
                next = reset;
                result = log.read(next, readBytes);
            }
            if (!(result instanceof ReadResult.Records(ByteBuffer batches, long highWatermark))
                    || !batches.hasRemaining()) {
                return;
            }
            long from = next;
            int[] count = {0};
            next = RecordBatches.forEach(batches, from, record -> {
                long size = Math.max(record.keyLength(), 0) + Math.max(record.valueLength(), 0);
                if (budget.records == 0 || (size > budget.bytes && budget.anyRecord)) {
                    return false;
                }
                budget.records--;
                budget.bytes -= size;
                budget.anyRecord = true;
                count[0]++;
                return true;
            });
            if (count[0] == 0) {
                return;
            }
            chunks.add(new EmbeddedFetch.Chunk(partition, batches, from, next, count[0]));
            if (next >= highWatermark) {
                return;
            }
        }
    }

    /**
     * Forgets the positions of partitions the coordinator took away (called on the coordinator
     * thread, before anyone else gets them): if they come back, they start again at the group's
     * committed offset (P1), never at this consumer's stale position.
     */
    void revoked(Set<TopicPartition> partitions) {
        positions.keySet().removeAll(partitions);
    }

    String memberId() {
        return memberId;
    }

    /** After delivery: each position moves past its chunk, unless a seek or revocation moved it. */
    private void advance(List<EmbeddedFetch.Chunk> chunks) {
        for (EmbeddedFetch.Chunk chunk : chunks) {
            positions.replace(chunk.partition(), chunk.fromOffset(), chunk.nextOffset());
        }
    }

    @Override
    public void commit(Map<TopicPartition, Long> offsets) {
        MemberAssignment snapshot = snapshot();
        for (Map.Entry<TopicPartition, Long> entry : offsets.entrySet()) {
            TopicPartition partition = entry.getKey();
            requireOwned(snapshot, partition);
            long offset = entry.getValue();
            long end = log(partition).map(PartitionLog::highWatermark).orElse(0L);
            if (offset < 0 || offset > end) {
                throw TakhinException.invalidArgument("offset " + offset + " for partition " + partition
                        + " is outside 0.." + end + " (the partition's end)");
            }
        }
        Futures.await(coordinator.commit(groupId, memberId, offsets));
    }

    @Override
    public void commitPositions() {
        Map<TopicPartition, Long> positions = positions();
        if (!positions.isEmpty()) {
            Futures.await(coordinator.commit(groupId, memberId, positions));
        }
    }

    @Override
    public Map<TopicPartition, Long> positions() {
        return ownedPositions(snapshot());
    }

    @Override
    public void seek(TopicPartition partition, SeekTarget target) {
        requireOwned(snapshot(), partition);
        PartitionLog log = log(partition).orElseThrow(() -> TakhinException.topicNotFound(partition.topic()));
        long position = switch (target) {
            case SeekTarget.Offset offset -> offset.offset();
            case SeekTarget.Beginning beginning -> log.logStartOffset();
            case SeekTarget.End end -> log.highWatermark();
            case SeekTarget.Timestamp timestamp -> log.offsetForTimestamp(timestamp.timestampMs());
        };
        if (position < 0) {
            throw TakhinException.invalidArgument("offset must be >= 0, got " + position);
        }
        positions.put(partition, position);
    }

    private void requireOwned(MemberAssignment snapshot, TopicPartition partition) {
        if (!snapshot.owns(partition)) {
            throw new TakhinException(
                    ErrorCode.PARTITION_NOT_OWNED,
                    "partition " + partition + " is not owned by consumer " + memberId
                            + " (not assigned to it, or moved to another member by a rebalance)");
        }
    }

    @Override
    public Assignment assign(Map<String, Set<Integer>> partitions) {
        for (Map.Entry<String, Set<Integer>> entry : partitions.entrySet()) {
            var topic = logs.topic(entry.getKey()).orElseThrow(() -> TakhinException.topicNotFound(entry.getKey()));
            for (int id : entry.getValue()) {
                if (id < 0 || id >= topic.partitionCount()) {
                    throw TakhinException.partitionNotFound(entry.getKey(), id, topic.partitionCount());
                }
            }
        }
        MemberAssignment snapshot = Futures.await(coordinator.assignManually(groupId, memberId, partitions));
        ownedPositions(snapshot);
        return new Assignment(snapshot.generationId(), snapshot.partitions());
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Futures.await(coordinator.leave(groupId, memberId));
        } finally {
            live.remove(memberId);
            positions.clear();
        }
    }
}
