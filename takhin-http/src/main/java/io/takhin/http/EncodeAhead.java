package io.takhin.http;

import io.takhin.backend.Fetch;
import io.takhin.backend.FetchPreparer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Encodes the records of a fetch a backend prepared before its poll (H8), so the poll that claims
 * it only adds the timestamp and sends: the encoding overlaps the client reading the previous
 * response instead of following it. Bodies encoded ahead and not yet taken count against one budget
 * for the whole server; a fetch that does not fit is encoded by its poll, as without this.
 */
final class EncodeAhead implements FetchPreparer {
    /** Bytes of bodies encoded ahead, or being encoded, that no poll has taken yet. */
    static final long DEFAULT_BUDGET_BYTES = 64L * 1024 * 1024;

    private final AtomicLong available;

    EncodeAhead(long budgetBytes) {
        this.available = new AtomicLong(budgetBytes);
    }

    @Override
    public Work prepare(Fetch fetch) {
        return new Work(fetch);
    }

    /**
     * The body of a consume response, encoded from {@code fetch}'s prepared work if it has some,
     * else now.
     */
    static ConsumeResponseEncoder.Body body(Fetch fetch) {
        ConsumeResponseEncoder.Body ahead = fetch.takePrepared() instanceof Work work ? work.take() : null;
        return ahead != null ? ahead : ConsumeResponseEncoder.records(fetch);
    }

    /** Bytes the budget has left; for tests. */
    long availableBytes() {
        return available.get();
    }

    private boolean reserve(long bytes) {
        long left = available.addAndGet(-bytes);
        if (left >= 0) {
            return true;
        }
        available.addAndGet(bytes);
        return false;
    }

    /** The encoding of one fetch: run once by the backend, then taken by its poll or discarded. */
    final class Work implements FetchPreparer.Work {
        private final Fetch fetch;
        /** The encoded records, or null if the budget had no room or the encoding failed. */
        private final CompletableFuture<ConsumeResponseEncoder.@Nullable Body> body = new CompletableFuture<>();
        /** Budget bytes this work holds; returned once, by take or discard. Guarded by this. */
        private long reserved;

        private boolean ended;

        private Work(Fetch fetch) {
            this.fetch = fetch;
        }

        @Override
        public void run() {
            ConsumeResponseEncoder.Body encoded = null;
            try {
                int size = ConsumeResponseEncoder.measure(fetch);
                if (hold(size)) {
                    encoded = ConsumeResponseEncoder.write(fetch, size);
                }
            } catch (RuntimeException e) {
                // The poll encodes the fetch itself and meets the same failure where it can answer it.
                release();
            }
            body.complete(encoded);
        }

        /** Waits for the encoding (it runs on another thread), hands it over and frees its budget. */
        ConsumeResponseEncoder.@Nullable Body take() {
            ConsumeResponseEncoder.Body encoded = body.join();
            release();
            return encoded;
        }

        @Override
        public void discard() {
            release();
        }

        private synchronized boolean hold(int size) {
            if (ended || !reserve(size)) {
                return false;
            }
            reserved = size;
            return true;
        }

        /** Returns the budget; anything reserved after this fails, so a late run holds nothing. */
        private synchronized void release() {
            ended = true;
            available.addAndGet(reserved);
            reserved = 0;
        }
    }
}
