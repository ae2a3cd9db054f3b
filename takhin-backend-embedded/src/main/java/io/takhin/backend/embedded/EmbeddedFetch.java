package io.takhin.backend.embedded;

import io.takhin.backend.Fetch;
import io.takhin.common.TopicPartition;
import io.takhin.storage.record.RecordBatches;
import io.takhin.storage.record.RecordView;
import java.nio.ByteBuffer;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The records of one poll: for each partition, a buffer of whole stored batches and the range of
 * offsets to deliver from it. Records are encoded straight from those bytes. Not thread-safe; owned
 * by the request that polled.
 */
final class EmbeddedFetch implements Fetch {
    /** One partition's share: offsets {@code fromOffset} (inclusive) to {@code nextOffset} (exclusive). */
    record Chunk(TopicPartition partition, ByteBuffer batches, long fromOffset, long nextOffset, int recordCount) {}

    private final List<Chunk> chunks;
    private final PositionAdvancer advancer;
    private final View view = new View();

    /** Moves positions once the fetch was delivered. */
    interface PositionAdvancer {
        void advance(List<Chunk> chunks);
    }

    EmbeddedFetch(List<Chunk> chunks, PositionAdvancer advancer) {
        this.chunks = List.copyOf(chunks);
        this.advancer = advancer;
    }

    @Override
    public int recordCount() {
        int count = 0;
        for (Chunk chunk : chunks) {
            count += chunk.recordCount();
        }
        return count;
    }

    @Override
    public void forEach(RecordSink sink) {
        for (Chunk chunk : chunks) {
            view.partition = chunk.partition();
            long nextOffset = chunk.nextOffset();
            RecordBatches.forEach(chunk.batches().duplicate(), chunk.fromOffset(), record -> {
                if (record.offset() >= nextOffset) {
                    return false;
                }
                view.record = record;
                sink.accept(view);
                return true;
            });
        }
    }

    @Override
    public void advance() {
        advancer.advance(chunks);
    }

    /** The reused view handed to sinks: a partition plus the storage flyweight. */
    private static final class View implements RecordView {
        private TopicPartition partition = new TopicPartition("", 0);
        private io.takhin.storage.record.@Nullable RecordView record;

        private io.takhin.storage.record.RecordView record() {
            if (record == null) {
                throw new IllegalStateException("no record: the view is only valid inside the sink");
            }
            return record;
        }

        @Override
        public String topic() {
            return partition.topic();
        }

        @Override
        public int partition() {
            return partition.partition();
        }

        @Override
        public long offset() {
            return record().offset();
        }

        @Override
        public long timestampMs() {
            return record().timestampMs();
        }

        @Override
        public int keyLength() {
            return record().keyLength();
        }

        @Override
        public ByteBuffer keyBuffer() {
            return record().buffer();
        }

        @Override
        public int keyPosition() {
            return record().keyPosition();
        }

        @Override
        public int valueLength() {
            return record().valueLength();
        }

        @Override
        public ByteBuffer valueBuffer() {
            return record().buffer();
        }

        @Override
        public int valuePosition() {
            return record().valuePosition();
        }

        @Override
        public int headerCount() {
            return record().headerCount();
        }

        @Override
        public String headerKey(int index) {
            return record().headerKey(index);
        }

        @Override
        public ByteBuffer headerValue(int index) {
            return record().headerValue(index);
        }
    }
}
