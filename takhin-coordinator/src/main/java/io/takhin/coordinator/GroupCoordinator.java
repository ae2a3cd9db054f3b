package io.takhin.coordinator;

import io.takhin.common.ErrorCode;
import io.takhin.common.TakhinException;
import io.takhin.common.Time;
import io.takhin.common.TopicPartition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer-group coordinator of the embedded backend: membership, balanced sticky assignment,
 * manual assignment and durable committed offsets for every group. See the package documentation
 * for the invariants (C1 to C7) and the on-disk formats.
 *
 * <p>Thread-safe. One thread, {@code takhin-group-coordinator}, owns all group state: every method
 * that returns a future puts a request on its queue and returns at once. The coordinator thread
 * handles the requests in the order they were queued; it never completes a returned future itself:
 * completions run on a new virtual thread each ({@code takhin-coordinator-callback-N}), so a
 * continuation the caller attaches (with or without an {@code Async} method) never runs on, or
 * blocks, the coordinator thread. Cancelling a returned future does not withdraw the request.
 *
 * <p>{@link #assignment} and {@link #committed} do not queue: they read what the coordinator thread
 * last published, from any thread.
 *
 * <p>Errors reach the caller as the future's exception: {@link TakhinException} for client errors
 * (codes {@code invalid_argument}, {@code topic_not_found}, {@code partition_not_found},
 * {@code consumer_not_found}, {@code partition_not_owned}, {@code too_many_requests},
 * {@code storage_unavailable}, {@code shutting_down}), {@link IllegalStateException} for our bugs.
 */
public final class GroupCoordinator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCoordinator.class);

    /** The most requests waiting for the coordinator thread; beyond it, {@code too_many_requests}. */
    static final int MAX_QUEUED_EVENTS = 65_536;

    private final GroupManager manager;
    private final OffsetStore store;
    private final PublishedState published;
    private final int maxEventsPerDrain;
    private final BlockingQueue<Event> queue = new LinkedBlockingQueue<>(MAX_QUEUED_EVENTS);
    private final ExecutorService callbacks = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("takhin-coordinator-callback-", 0).factory());
    private final Thread thread;
    /** Guards {@link #closed} together with the queue insertions, so nothing is queued after Stop. */
    private final ReentrantLock submitLock = new ReentrantLock();

    private boolean closed;

    private GroupCoordinator(GroupManager manager, OffsetStore store, PublishedState published, int maxEvents) {
        this.manager = manager;
        this.store = store;
        this.published = published;
        this.maxEventsPerDrain = maxEvents;
        this.thread = Thread.ofPlatform()
                .name("takhin-group-coordinator")
                .uncaughtExceptionHandler(
                        (t, e) -> LOG.error("The group coordinator thread died; every request now fails", e))
                .unstarted(this::run);
    }

    /**
     * Opens (recovering if needed) the offsets store in {@code config.offsetsDir()} as a partition
     * log and starts the coordinator thread. Recovery runs on the calling thread.
     *
     * @throws io.takhin.common.StorageException if the offsets store cannot be opened
     */
    public static GroupCoordinator start(CoordinatorConfig config, TopicMetadata topics, Time time) {
        return start(config, topics, time, RevocationListener.NONE);
    }

    /**
     * As {@link #start(CoordinatorConfig, TopicMetadata, Time)}, telling {@code revocations} about
     * every partition a member loses.
     */
    public static GroupCoordinator start(
            CoordinatorConfig config, TopicMetadata topics, Time time, RevocationListener revocations) {
        return start(config, topics, time, PartitionOffsetLog.opener(time), revocations);
    }

    /** As {@link #start(CoordinatorConfig, TopicMetadata, Time)}, over any offsets log (tests). */
    static GroupCoordinator start(CoordinatorConfig config, TopicMetadata topics, Time time, OffsetLog.Opener opener) {
        return start(config, topics, time, opener, RevocationListener.NONE);
    }

    private static GroupCoordinator start(
            CoordinatorConfig config,
            TopicMetadata topics,
            Time time,
            OffsetLog.Opener opener,
            RevocationListener revocations) {
        OffsetStore store = OffsetStore.open(config.offsetsDir(), opener, config.compactAfterRecords());
        PublishedState published = new PublishedState(revocations);
        GroupManager manager = new GroupManager(topics, store, published, time);
        GroupCoordinator coordinator = new GroupCoordinator(manager, store, published, config.maxEventsPerDrain());
        coordinator.thread.start();
        return coordinator;
    }

    /**
     * Adds {@code memberId} to the group (creating the group) as a balanced member subscribed to
     * {@code topics}, or re-subscribes it (a manual member becomes balanced again), and rebalances
     * the group at once.
     *
     * @return the member's assignment after the rebalance; it is published before the future
     *     completes. Fails with {@code topic_not_found} naming the first missing topic, or
     *     {@code invalid_argument} for an empty or too long id or an empty topic set
     */
    public CompletableFuture<MemberAssignment> join(
            String groupId, String memberId, Set<String> topics, String clientHost) {
        Set<String> topicsCopy = Set.copyOf(topics);
        return submit(result -> new Event.Join(groupId, memberId, topicsCopy, clientHost, result));
    }

    /**
     * Removes the member (its session was closed or expired) and rebalances the rest of the group
     * at once: its snapshot is withdrawn before anyone is granted its partitions (C1). Does nothing
     * for an unknown member.
     */
    public CompletableFuture<Void> leave(String groupId, String memberId) {
        return submit(result -> new Event.Leave(groupId, memberId, result));
    }

    /**
     * Takes the member out of group balancing: it owns exactly {@code partitions} (topic to
     * partition numbers; an empty map is allowed), and the balanced members rebalance around them
     * (manual wins over balanced). Manual assignments of one group never overlap: a partition
     * another manual member holds fails the whole request with {@code partition_not_owned}.
     *
     * @return the member's assignment; fails with {@code consumer_not_found} if the member has not
     *     joined, {@code topic_not_found} or {@code partition_not_found} for what does not exist
     */
    public CompletableFuture<MemberAssignment> assignManually(
            String groupId, String memberId, Map<String, Set<Integer>> partitions) {
        Map<String, Set<Integer>> copy = new HashMap<>();
        partitions.forEach((topic, numbers) -> copy.put(topic, Set.copyOf(numbers)));
        Map<String, Set<Integer>> partitionsCopy = Map.copyOf(copy);
        return submit(result -> new Event.AssignManually(groupId, memberId, partitionsCopy, result));
    }

    /**
     * The backend created a topic (or added partitions): rebalances every group with a member
     * subscribed to it. Call it after the log manager has the topic.
     */
    public CompletableFuture<Void> topicCreated(String topic, int partitionCount) {
        return submit(result -> new Event.TopicCreated(topic, partitionCount, result));
    }

    /**
     * The backend deleted a topic: every member loses its partitions (members keep their
     * subscription and get them back if the topic is created again), and every group's committed
     * offsets on it are deleted. Completes once the deletion of the offsets is durable.
     */
    public CompletableFuture<Void> topicDeleted(String topic) {
        return submit(result -> new Event.TopicDeleted(topic, result));
    }

    /**
     * Commits offsets (the next offset to read on each partition) for the member's group. Checked on
     * the coordinator thread: the member must own every partition right now, else the whole request
     * fails with {@code partition_not_owned} and nothing is committed (C4). Completes once the offsets
     * are fsynced (C5); commits queued together share one append and one fsync. Whether an offset is
     * above the partition's end is for the caller to check: the coordinator does not read topics.
     */
    public CompletableFuture<Void> commit(String groupId, String memberId, Map<TopicPartition, Long> offsets) {
        Map<TopicPartition, Long> offsetsCopy = Map.copyOf(offsets);
        return submit(result -> new Event.Commit(groupId, memberId, offsetsCopy, result));
    }

    /** The group's durable committed offset on the partition. Any thread; does not queue. */
    public OptionalLong committed(String groupId, TopicPartition partition) {
        return published.committed(groupId, partition);
    }

    /**
     * The member's current assignment snapshot, or empty if it is not a member. Any thread; does
     * not queue. A reader that checks ownership after reading records relies on C1.
     */
    public Optional<MemberAssignment> assignment(String groupId, String memberId) {
        return published.assignment(groupId, memberId);
    }

    /**
     * Completes once the member's published assignment differs from {@code seen} (compared by
     * identity, as {@link #assignment} returned it), at once if it already does. One waiter per
     * member: a new call replaces the previous one, which then never completes (a member's long
     * polls run one at a time). Any thread, no queue. Completes on the coordinator thread, so
     * dependent stages must be trivial or async.
     */
    public CompletableFuture<Void> assignmentChange(String groupId, String memberId, Optional<MemberAssignment> seen) {
        return published.awaitChange(groupId, memberId, seen);
    }

    /** Every group with members or committed offsets, sorted by id. */
    public CompletableFuture<List<GroupSummary>> listGroups() {
        return submit(Event.ListGroups::new);
    }

    /** The group's members and committed offsets, or empty if the group is unknown. */
    public CompletableFuture<Optional<GroupDescription>> describeGroup(String groupId) {
        return submit(result -> new Event.DescribeGroup(groupId, result));
    }

    /**
     * Handles and flushes the requests queued before it, fails later ones with
     * {@code shutting_down}, stops the coordinator thread and closes the offsets store. Idempotent;
     * must not be called from a continuation of one of this coordinator's futures that the
     * coordinator is waiting for (it waits for the thread).
     */
    @Override
    public void close() {
        submitLock.lock();
        try {
            if (!closed) {
                closed = true;
                queue.add(new Event.Stop(new CompletableFuture<>()));
            }
        } finally {
            submitLock.unlock();
        }
        if (Thread.currentThread() == thread) {
            throw new IllegalStateException("close() called on the coordinator thread");
        }
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        failQueued();
        callbacks.shutdown();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private <T> CompletableFuture<T> submit(Function<CompletableFuture<T>, Event> request) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Event event = request.apply(result);
        submitLock.lock();
        try {
            if (closed) {
                result.completeExceptionally(shuttingDown());
            } else if (!queue.offer(event)) {
                result.completeExceptionally(new TakhinException(
                        ErrorCode.TOO_MANY_REQUESTS,
                        "the group coordinator has " + MAX_QUEUED_EVENTS + " requests waiting; retry later"));
            }
        } finally {
            submitLock.unlock();
        }
        return result;
    }

    /** The event loop; see the package documentation, "Concurrency". */
    private void run() {
        List<Event> drained = new ArrayList<>(Math.min(maxEventsPerDrain, 4096));
        List<CompletableFuture<Void>> awaitingFlush = new ArrayList<>();
        boolean stopping = false;
        try {
            while (!stopping) {
                drained.clear();
                drained.add(take());
                queue.drainTo(drained, maxEventsPerDrain - 1);
                for (Event event : drained) {
                    if (stopping) {
                        fail(event.result(), shuttingDown());
                    } else if (event instanceof Event.Stop) {
                        stopping = true;
                    } else {
                        handle(event, awaitingFlush);
                    }
                }
                flush(awaitingFlush);
                manager.maybeCompact();
            }
        } finally {
            submitLock.lock();
            try {
                closed = true;
            } finally {
                submitLock.unlock();
            }
            failQueued();
            for (CompletableFuture<Void> future : awaitingFlush) {
                fail(future, shuttingDown());
            }
            try {
                store.close();
            } catch (RuntimeException e) {
                LOG.warn("Cannot close the offsets store", e);
            }
        }
    }

    private Event take() {
        while (true) {
            try {
                return queue.take();
            } catch (InterruptedException e) {
                // Nobody is meant to interrupt this thread; close() stops it with an event.
                LOG.warn("The group coordinator thread was interrupted; ignoring it");
            }
        }
    }

    private void handle(Event event, List<CompletableFuture<Void>> awaitingFlush) {
        try {
            switch (event) {
                case Event.Join join ->
                    complete(
                            join.result(),
                            manager.join(join.groupId(), join.memberId(), join.topics(), join.clientHost()));
                case Event.Leave leave -> {
                    manager.leave(leave.groupId(), leave.memberId());
                    complete(leave.result(), null);
                }
                case Event.AssignManually assign ->
                    complete(
                            assign.result(),
                            manager.assignManually(assign.groupId(), assign.memberId(), assign.partitions()));
                case Event.TopicCreated created -> {
                    manager.topicCreated(created.topic(), created.partitionCount());
                    complete(created.result(), null);
                }
                case Event.TopicDeleted deleted -> {
                    manager.topicDeleted(deleted.topic());
                    awaitingFlush.add(deleted.result());
                }
                case Event.Commit commit -> {
                    manager.commit(commit.groupId(), commit.memberId(), commit.offsets());
                    awaitingFlush.add(commit.result());
                }
                case Event.ListGroups list -> complete(list.result(), manager.listGroups());
                case Event.DescribeGroup describe ->
                    complete(describe.result(), manager.describeGroup(describe.groupId()));
                case Event.Stop stop -> throw new IllegalStateException("Stop is handled by the loop");
            }
        } catch (TakhinException e) {
            fail(event.result(), e);
        } catch (RuntimeException e) {
            LOG.error("Bug while handling {}", event, e);
            fail(event.result(), e);
        }
    }

    /**
     * Makes the drain's commits durable in one append, then completes their futures (C5). Runs after
     * every drain, even one without commits: it also removes groups that became DEAD.
     */
    private void flush(List<CompletableFuture<Void>> awaitingFlush) {
        try {
            manager.flush();
            for (CompletableFuture<Void> future : awaitingFlush) {
                complete(future, null);
            }
        } catch (RuntimeException e) {
            if (!(e instanceof TakhinException)) {
                LOG.error("Bug while writing {} committed offsets", awaitingFlush.size(), e);
            }
            for (CompletableFuture<Void> future : awaitingFlush) {
                fail(future, e);
            }
        }
        awaitingFlush.clear();
    }

    private <T> void complete(CompletableFuture<T> future, T value) {
        callbacks.execute(() -> future.complete(value));
    }

    private void fail(CompletableFuture<?> future, Throwable error) {
        try {
            callbacks.execute(() -> future.completeExceptionally(error));
        } catch (RuntimeException rejected) {
            future.completeExceptionally(error); // the executor is shut down: we are closing
        }
    }

    private void failQueued() {
        List<Event> left = new ArrayList<>();
        queue.drainTo(left);
        for (Event event : left) {
            fail(event.result(), shuttingDown());
        }
    }

    private static TakhinException shuttingDown() {
        return new TakhinException(ErrorCode.SHUTTING_DOWN, "the group coordinator is shutting down");
    }
}
