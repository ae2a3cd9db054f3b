package io.takhin.backend;

import java.nio.ByteBuffer;
import org.jspecify.annotations.Nullable;

/**
 * The records one poll returns, readable without copying: {@link #forEach} hands out one reused
 * {@link RecordView} per record. Records of one partition come in offset order. Not thread-safe;
 * owned by the request that polled.
 */
public interface Fetch {
    int recordCount();

    /** Visits every record, in order; the view is only valid during the call. */
    void forEach(RecordSink sink);

    /**
     * Moves the consumer's position past the records of this fetch. Called once the response has
     * been written to the client; never called if the client went away first, so the same records
     * are delivered again.
     */
    void advance();

    /** Receives records. */
    @FunctionalInterface
    interface RecordSink {
        void accept(RecordView record);
    }

    /** One record, valid only during {@link RecordSink#accept}. Buffers are read-only views. */
    interface RecordView {
        String topic();

        int partition();

        long offset();

        long timestampMs();

        /** The key bytes, or null when the record has no key. */
        @Nullable
        ByteBuffer key();

        /** The value bytes, or null for a null value. */
        @Nullable
        ByteBuffer value();

        int headerCount();

        String headerKey(int index);

        ByteBuffer headerValue(int index);
    }
}
