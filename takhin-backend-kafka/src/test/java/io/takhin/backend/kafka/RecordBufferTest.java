package io.takhin.backend.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Random;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class RecordBufferTest {
    /** Random adds and removals, through wrap-arounds and growth, against an ArrayDeque. */
    @Test
    void addAndRemoveFirst_randomly_keepsOrderOffsetsSizesAndHeapLikeADeque() {
        Random random = new Random(7);
        RecordBuffer buffer = new RecordBuffer();
        ArrayDeque<ConsumerRecord<ByteBuffer, ByteBuffer>> expected = new ArrayDeque<>();
        ArrayDeque<Integer> expectedSizes = new ArrayDeque<>();
        long nextOffset = 0;
        for (int step = 0; step < 20_000; step++) {
            if (random.nextInt(3) > 0) {
                int adds = random.nextInt(200);
                for (int i = 0; i < adds; i++) {
                    nextOffset += 1 + random.nextInt(2); // offsets may have gaps
                    ConsumerRecord<ByteBuffer, ByteBuffer> record =
                            new ConsumerRecord<>("t", 0, nextOffset, null, ByteBuffer.allocate(random.nextInt(50)));
                    int size = random.nextInt(1000);
                    buffer.add(record, size);
                    expected.add(record);
                    expectedSizes.add(size);
                }
            } else if (!expected.isEmpty()) {
                int n = random.nextInt(expected.size() + 1);
                buffer.removeFirst(n);
                for (int i = 0; i < n; i++) {
                    expected.poll();
                    expectedSizes.poll();
                }
            }
            assertThat(buffer.size()).isEqualTo(expected.size());
            int at = 0;
            long heap = 0;
            var sizes = expectedSizes.iterator();
            for (ConsumerRecord<ByteBuffer, ByteBuffer> record : expected) {
                int size = sizes.next();
                assertThat(buffer.record(at)).isSameAs(record);
                assertThat(buffer.offset(at)).isEqualTo(record.offset());
                assertThat(buffer.recordSize(at)).isEqualTo(size);
                heap += size + KafkaConsumerHandle.RECORD_OVERHEAD_BYTES;
                at++;
            }
            assertThat(buffer.heapBytes()).isEqualTo(heap);
            assertThat(buffer.lastOffset())
                    .isEqualTo(expected.isEmpty() ? -1 : expected.peekLast().offset());
        }
    }

    @Test
    void removeFirst_moreThanBuffered_isRefused() {
        RecordBuffer buffer = new RecordBuffer();
        buffer.add(new ConsumerRecord<>("t", 0, 5, null, ByteBuffer.allocate(1)), 1);
        assertThatThrownBy(() -> buffer.removeFirst(2)).isInstanceOf(IllegalArgumentException.class);
    }
}
