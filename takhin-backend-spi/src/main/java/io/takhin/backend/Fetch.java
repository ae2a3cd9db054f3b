package io.takhin.backend;

import java.nio.ByteBuffer;
import org.jspecify.annotations.Nullable;

/**
 * The records one poll returns, readable without copying: {@link #forEach} hands out one reused
 * {@link RecordView} per record. Records of one partition come in offset order. Not thread-safe;
 * owned by the request that polled.
 */
public interface Fetch {
    /** No records; advancing it moves nothing. */
    static Fetch empty() {
        return Empty.INSTANCE;
    }

    int recordCount();

    /** Visits every record, in order; the view is only valid during the call. */
    void forEach(RecordSink sink);

    /**
     * Moves the consumer's position past the records of this fetch. Called once the response has
     * been written to the client; never called if the client went away first, so the same records
     * are delivered again.
     */
    void advance();

    /**
     * Called instead of {@link #advance()} when the records will not be delivered (the write failed
     * or the response could not be built); the position stays. Exactly one of the two is called.
     */
    default void abandon() {}

    /**
     * The work a {@link FetchPreparer} did ahead on this fetch, handed to the one poll that claimed
     * it; null if there is none (the backend prepares no fetches, or the work was not handed over in
     * time). Each call after the first returns null. The caller owns the work from then on.
     */
    default FetchPreparer.@Nullable Work takePrepared() {
        return null;
    }

    /** Receives records. */
    @FunctionalInterface
    interface RecordSink {
        void accept(RecordView record);
    }

    /**
     * One record, valid only during {@link RecordSink#accept}. Keys and values are given as a
     * length and an absolute position in a backing buffer, so an encoder can read them in place
     * (no slice per record). Callers must not change the buffers or their positions.
     */
    interface RecordView {
        String topic();

        int partition();

        long offset();

        long timestampMs();

        /** Length of the key in bytes, or -1 when the record has no key. */
        int keyLength();

        /** The buffer holding the key at {@link #keyPosition()}. */
        ByteBuffer keyBuffer();

        int keyPosition();

        /** Length of the value in bytes, or -1 for a null value. */
        int valueLength();

        /** The buffer holding the value at {@link #valuePosition()}. */
        ByteBuffer valueBuffer();

        int valuePosition();

        int headerCount();

        String headerKey(int index);

        /** A read-only slice holding the header's value bytes. */
        ByteBuffer headerValue(int index);
    }

    /** The fetch of a poll that found nothing or was ended early. */
    enum Empty implements Fetch {
        INSTANCE;

        @Override
        public int recordCount() {
            return 0;
        }

        @Override
        public void forEach(RecordSink sink) {}

        @Override
        public void advance() {}
    }
}
