package io.takhin.backend;

import org.jspecify.annotations.Nullable;

/**
 * The answering layer's work on a fetch that a backend prepared before its poll arrived: the HTTP
 * layer encodes the response body while its client is still reading the previous one, so the poll
 * that claims the fetch only has to send it (B4). Registered once, through {@link
 * Consumers#prepareWith}; a backend that prepares no fetches never calls it.
 */
@FunctionalInterface
public interface FetchPreparer {
    /**
     * Returns the work for {@code fetch} without doing it, or null for none (a budget is spent, say).
     * The backend then either hands the work to the fetch and runs it, or discards it unrun.
     */
    @Nullable
    Work prepare(Fetch fetch);

    /** Work on one prepared fetch. Thread-safe: run, discarded and taken on different threads. */
    interface Work extends Runnable {
        /**
         * The fetch will never be answered with this work (the backend took the records back, or a
         * poll claimed the fetch before the work was handed over): release what it holds. Called at
         * most once, possibly while {@link #run} is still running.
         */
        void discard();
    }
}
