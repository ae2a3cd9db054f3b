package io.takhin.storage.log;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * Wakes those waiting for the high watermark to pass an offset, without polling.
 *
 * <p>The notifier holds one "next publish" future. Publishing swaps in a fresh one and completes the
 * old one; a waiter reads the current future <em>before</em> re-checking the high watermark, so a
 * publish that lands between the check and the registration still completes a future the waiter
 * holds (no lost wake-up). A waiter whose offset is still not readable after a publish registers on
 * the next future. A waiter that gave up (its future completed or cancelled by the caller) is
 * dropped at the next publish.
 *
 * <p>Listener contract: completions run on the publishing thread — the appending thread that led a
 * group commit, the writer in interval-flush mode, or a thread closing or failing the log — after
 * it released the partition's locks. Callers must not block in dependent stages: use the
 * {@code *Async} variants or hand off.
 *
 * <p>Thread-safe: an {@link AtomicReference} to the current future; the high watermark is read
 * through the supplier (a volatile).
 */
final class AppendNotifier {
    private final AtomicReference<CompletableFuture<Void>> nextPublish =
            new AtomicReference<>(new CompletableFuture<>());
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
        CompletableFuture<Void> result = new CompletableFuture<>();
        register(offset, result);
        return result;
    }

    private void register(long offset, CompletableFuture<Void> result) {
        if (result.isDone()) {
            return;
        }
        CompletableFuture<Void> next = nextPublish.get();
        if (satisfied(offset)) {
            result.complete(null);
            return;
        }
        next.whenComplete((ignored, error) -> register(offset, result));
    }

    private boolean satisfied(long offset) {
        return highWatermark.getAsLong() > offset || stopped;
    }

    /**
     * Called after a new high watermark is visible. Returns the future to complete once the caller
     * holds no lock (see the listener contract).
     */
    CompletableFuture<Void> swap() {
        return nextPublish.getAndSet(new CompletableFuture<>());
    }

    /** Wakes every waiter for good: the log closed or failed. Waiters then see isClosed / isFailed. */
    void stop() {
        stopped = true;
        swap().complete(null);
    }
}
