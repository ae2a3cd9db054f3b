package io.takhin.backend.kafka;

import io.takhin.backend.Fetch;
import io.takhin.backend.FetchPreparer;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.jspecify.annotations.Nullable;

/**
 * Records a consumer's thread took from its buffer for one poll. They stay in the buffer until the
 * session says they were written ({@link #advance}); the consumer's thread then drops them and
 * moves the positions. {@link #settled()} completes on advance or abandon, which is what a
 * revocation waits for (K3). The record list is read by the request's thread only. A fetch the
 * consumer's thread prepared ahead of the next poll is handed out once, by {@link #claim} or
 * {@link #withdraw}, whichever comes first; the preparer's work on it (B4) likewise goes once, to
 * {@link #takePrepared} or to its discard.
 */
final class KafkaFetch implements Fetch {
    /** Where the fetch starts and ends on one partition, and how many records it has there. */
    record Span(long fromOffset, long nextOffset, int count) {}

    private static final int PREPARED = 0;
    private static final int CLAIMED = 1;
    private static final int WITHDRAWN = 2;
    /** No work can be handed over any more. */
    private static final Object SEALED = new Object();
    /** What a fetch that follows no response in flight waits for: nothing. */
    private static final CompletableFuture<Boolean> WRITTEN = CompletableFuture.completedFuture(true);

    private final List<ConsumerRecord<ByteBuffer, ByteBuffer>> records;
    private final Map<TopicPartition, Span> spans;
    private final Runnable wakeOwner;
    private final int maxRecords;
    private final long maxBytes;
    private final boolean full;
    private final CompletableFuture<Boolean> settled = new CompletableFuture<>();
    /**
     * The outcome of the response this fetch's records follow: a fetch prepared while that one was
     * still being written may be claimed only once it was (K1). Only the outcome is kept, so a chain
     * of fetches never holds earlier fetches' records.
     */
    private final CompletableFuture<Boolean> follows;

    private final AtomicInteger state = new AtomicInteger(PREPARED);
    /** Null, then the preparer's work once handed over, then {@link #SEALED}: taken or discarded. */
    private final AtomicReference<@Nullable Object> work = new AtomicReference<>();

    private final View view = new View();

    /**
     * Records taken for a poll of {@code maxRecords} and {@code maxBytes}; {@code full} if a limit
     * stopped the taking (more records in the buffer would not have been added).
     */
    KafkaFetch(
            List<ConsumerRecord<ByteBuffer, ByteBuffer>> records,
            Map<TopicPartition, Span> spans,
            Runnable wakeOwner,
            int maxRecords,
            long maxBytes,
            boolean full,
            @Nullable KafkaFetch after) {
        this.records = records; // handed over by the consumer's thread, never changed afterwards
        this.spans = Map.copyOf(spans);
        this.wakeOwner = wakeOwner;
        this.maxRecords = maxRecords;
        this.maxBytes = maxBytes;
        this.full = full;
        this.follows = after == null ? WRITTEN : after.settled;
    }

    /** Whether a poll of these limits may be answered with this fetch. */
    boolean answers(int pollMaxRecords, long pollMaxBytes) {
        return pollMaxRecords == maxRecords && pollMaxBytes == maxBytes;
    }

    boolean full() {
        return full;
    }

    /**
     * A prepared fetch is handed out exactly once: to a poll of its limits that claims it, or back
     * to the consumer's thread that withdraws it (K1); not before the response it follows was
     * written. Returns whether this call won.
     */
    boolean claim(int pollMaxRecords, long pollMaxBytes) {
        return answers(pollMaxRecords, pollMaxBytes) && follows.getNow(false) && state.compareAndSet(PREPARED, CLAIMED);
    }

    /** The consumer's thread takes a prepared fetch back; false if a request claimed it first. */
    boolean withdraw() {
        if (!state.compareAndSet(PREPARED, WITHDRAWN)) {
            return false;
        }
        discardWork();
        return true;
    }

    /**
     * Runs {@code preparer}'s work on this prepared fetch, on the calling thread (not the consumer's
     * own). Skipped once the fetch is claimed or withdrawn; work that comes too late to be handed
     * over is discarded unrun.
     */
    void prepare(FetchPreparer preparer) {
        if (state.get() != PREPARED) {
            return;
        }
        FetchPreparer.Work prepared = preparer.prepare(this);
        if (prepared == null) {
            return;
        }
        if (work.compareAndSet(null, prepared)) {
            prepared.run();
        } else {
            prepared.discard();
        }
    }

    @Override
    public FetchPreparer.@Nullable Work takePrepared() {
        return work.getAndSet(SEALED) instanceof FetchPreparer.Work taken ? taken : null;
    }

    /** Work nobody took: the fetch was withdrawn, or settled without its poll taking it. */
    private void discardWork() {
        if (work.getAndSet(SEALED) instanceof FetchPreparer.Work untaken) {
            untaken.discard();
        }
    }

    boolean claimed() {
        return state.get() == CLAIMED;
    }

    @Override
    public int recordCount() {
        return records.size();
    }

    @Override
    public void forEach(RecordSink sink) {
        for (ConsumerRecord<ByteBuffer, ByteBuffer> record : records) {
            view.record = record;
            view.headers = null;
            sink.accept(view);
        }
        view.record = null;
    }

    @Override
    public void advance() {
        discardWork();
        settled.complete(true);
        wakeOwner.run();
    }

    @Override
    public void abandon() {
        discardWork();
        settled.complete(false);
        wakeOwner.run();
    }

    /** True once written, false once abandoned; incomplete while the response is being written. */
    CompletableFuture<Boolean> settled() {
        return settled;
    }

    Map<TopicPartition, Span> spans() {
        return spans;
    }

    boolean touches(java.util.Collection<TopicPartition> partitions) {
        for (TopicPartition partition : partitions) {
            if (spans.containsKey(partition)) {
                return true;
            }
        }
        return false;
    }

    /** The one view handed to the sink, pointed at each record in turn. */
    private static final class View implements RecordView {
        private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

        @Nullable
        ConsumerRecord<ByteBuffer, ByteBuffer> record;

        Header @Nullable [] headers;

        @Override
        public String topic() {
            return current().topic();
        }

        @Override
        public int partition() {
            return current().partition();
        }

        @Override
        public long offset() {
            return current().offset();
        }

        @Override
        public long timestampMs() {
            return current().timestamp();
        }

        // Keys and values are Kafka's own slices of the fetched bytes (ByteBufferDeserializer: no
        // copy); nothing here moves their positions.

        @Override
        public int keyLength() {
            ByteBuffer key = current().key();
            return key == null ? -1 : key.remaining();
        }

        @Override
        public ByteBuffer keyBuffer() {
            ByteBuffer key = current().key();
            return key == null ? EMPTY : key;
        }

        @Override
        public int keyPosition() {
            ByteBuffer key = current().key();
            return key == null ? 0 : key.position();
        }

        @Override
        public int valueLength() {
            ByteBuffer value = current().value();
            return value == null ? -1 : value.remaining();
        }

        @Override
        public ByteBuffer valueBuffer() {
            ByteBuffer value = current().value();
            return value == null ? EMPTY : value;
        }

        @Override
        public int valuePosition() {
            ByteBuffer value = current().value();
            return value == null ? 0 : value.position();
        }

        @Override
        public int headerCount() {
            return headers().length;
        }

        @Override
        public String headerKey(int index) {
            return headers()[index].key();
        }

        @Override
        public ByteBuffer headerValue(int index) {
            byte[] value = headers()[index].value();
            return value == null ? EMPTY : ByteBuffer.wrap(value);
        }

        private ConsumerRecord<ByteBuffer, ByteBuffer> current() {
            ConsumerRecord<ByteBuffer, ByteBuffer> current = record;
            if (current == null) {
                throw new IllegalStateException("a record view is only valid during RecordSink.accept");
            }
            return current;
        }

        private Header[] headers() {
            Header[] known = headers;
            if (known == null) {
                known = current().headers().toArray();
                headers = known;
            }
            return known;
        }
    }
}
