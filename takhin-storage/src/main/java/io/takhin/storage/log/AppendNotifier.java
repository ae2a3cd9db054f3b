package io.takhin.storage.log;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Wakes those waiting for the high watermark to pass an offset, without polling.
 *
 * <p>Waiters live in a concurrent set. A waiter joins the set <em>before</em> it checks the high
 * watermark; a publisher moves the high watermark <em>before</em> it walks the set. So either the
 * waiter sees the new high watermark itself, or the publisher's walk (which starts after the waiter
 * joined) sees the waiter: no lost wake-up. A waiter whose future completes for any reason (woken,
 * or cancelled by its caller when a long poll times out) leaves the set at once, so waiters that
 * gave up on an idle partition cost nothing while it stays idle.
 *
 * <p>Publishing is two steps so the walk runs with no lock held: {@link #swap()} (called under the
 * partition's lock, cheap) returns a future; completing it walks the set. Listener contract:
 * completions run on the publishing thread — the appending thread that led a group commit, the
 * writer in interval-flush mode, or a thread closing or failing the log — after it released the
 * partition's locks. Callers must not block in dependent stages: use the {@code *Async} variants
 * or hand off.
 *
 * <p>Thread-safe: a concurrent set of waiters; the high watermark is read through the supplier (a
 * volatile).
 */
final class AppendNotifier {
    /** One waiting caller. Identity-based: two waiters on one offset are two entries. */
    private static final class Waiter {
        final long offset;
        final CompletableFuture<Void> future = new CompletableFuture<>();

        Waiter(long offset) {
            this.offset = offset;
        }
    }

    private final Set<Waiter> waiters = ConcurrentHashMap.newKeySet();
    private final LongSupplier highWatermark;
    private volatile boolean stopped;

    AppendNotifier(LongSupplier highWatermark) {
        this.highWatermark = highWatermark;
    }

    /** Completes when the high watermark is above {@code offset}, or at once if it is already. */
    CompletableFuture<Void> await(long offset) {
        if (satisfied(offset)) {
            return CompletableFuture.completedFuture(null);
        }
        Waiter waiter = new Waiter(offset);
        waiters.add(waiter);
        waiter.future.whenComplete((ignored, error) -> waiters.remove(waiter));
        if (satisfied(offset)) {
            waiter.future.complete(null);
        }
        return waiter.future;
    }

    private boolean satisfied(long offset) {
        return highWatermark.getAsLong() > offset || stopped;
    }

    /**
     * Called after a new high watermark is visible. Returns the future to complete once the caller
     * holds no lock (see the listener contract); completing it wakes the satisfied waiters.
     */
    CompletableFuture<Void> swap() {
        CompletableFuture<Void> publish = new CompletableFuture<>();
        publish.thenRun(this::wakeSatisfied);
        return publish;
    }

    private void wakeSatisfied() {
        for (Waiter waiter : waiters) {
            if (satisfied(waiter.offset)) {
                waiter.future.complete(null);
            }
        }
    }

    /** Wakes every waiter for good: the log closed or failed. Waiters then see isClosed / isFailed. */
    void stop() {
        stopped = true;
        wakeSatisfied();
    }

    /** Waiters still registered; for tests. */
    int waiterCount() {
        return waiters.size();
    }
}
