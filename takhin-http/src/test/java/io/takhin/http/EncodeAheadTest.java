package io.takhin.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.takhin.backend.Fetch;
import io.takhin.backend.FetchPreparer;
import io.takhin.http.ConsumerEncodingTest.InMemoryFetch;
import io.takhin.http.ConsumerEncodingTest.Layout;
import io.takhin.http.ConsumerEncodingTest.StoredRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** H8: a body encoded ahead of its poll is the body its poll would have encoded; the budget holds. */
class EncodeAheadTest {
    private static final long NOW_MS = 1_704_537_600_500L;
    private static final long BUDGET = 1024 * 1024;

    /** A fetch as a backend prepares it: its work handed over once, then taken once (B4). */
    private static final class PreparedFetch implements Fetch {
        private final InMemoryFetch records;
        private final AtomicReference<FetchPreparer.@Nullable Work> work = new AtomicReference<>();

        PreparedFetch(List<StoredRecord> records) {
            this.records = new InMemoryFetch(Layout.HEAP_WITH_ARRAY_OFFSET, records);
        }

        @Override
        public int recordCount() {
            return records.recordCount();
        }

        @Override
        public void forEach(RecordSink sink) {
            records.forEach(sink);
        }

        @Override
        public void advance() {}

        @Override
        public FetchPreparer.@Nullable Work takePrepared() {
            return work.getAndSet(null);
        }
    }

    private static List<StoredRecord> records(int count) {
        List<StoredRecord> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] value = ("value " + i + " \" \\ \n").getBytes(StandardCharsets.UTF_8);
            List<Map.Entry<String, byte[]>> headers =
                    i % 3 == 0 ? List.of(Map.entry("trace", ("t" + i).getBytes(StandardCharsets.UTF_8))) : List.of();
            records.add(new StoredRecord(
                    "orders", i % 2, 1_000 + i, 1_704_537_600_000L + i / 4, i % 5 == 0 ? null : value, value, headers));
        }
        return records;
    }

    private static byte[] sent(ConsumeResponseEncoder.Body body, long nowMs) {
        int length = body.finish(nowMs);
        return Arrays.copyOf(body.bytes(), length);
    }

    @Test
    void body_encodedAheadOnAnotherThread_isTheBytesItsPollWouldHaveEncoded() throws InterruptedException {
        EncodeAhead ahead = new EncodeAhead(BUDGET);
        PreparedFetch fetch = new PreparedFetch(records(200));
        FetchPreparer.Work work = ahead.prepare(fetch);
        fetch.work.set(work);
        Thread backend = Thread.ofVirtual().start(work);
        backend.join();

        byte[] body = sent(EncodeAhead.body(fetch), NOW_MS);

        assertThat(new String(body, StandardCharsets.UTF_8))
                .isEqualTo(new String(
                        ConsumerEndpoints.encode(new InMemoryFetch(Layout.HEAP, records(200)), NOW_MS),
                        StandardCharsets.UTF_8));
        assertThat(ahead.availableBytes())
                .as("taken: the budget is whole again")
                .isEqualTo(BUDGET);
    }

    @Test
    void body_takenWhileTheWorkStillRuns_waitsForItAndSendsTheSameBytes() throws InterruptedException {
        EncodeAhead ahead = new EncodeAhead(BUDGET);
        PreparedFetch fetch = new PreparedFetch(records(5_000));
        FetchPreparer.Work work = ahead.prepare(fetch);
        fetch.work.set(work);
        Thread backend = Thread.ofVirtual().start(work);

        byte[] body = sent(EncodeAhead.body(fetch), NOW_MS);
        backend.join();

        assertThat(body).isEqualTo(ConsumerEndpoints.encode(new InMemoryFetch(Layout.HEAP, records(5_000)), NOW_MS));
        assertThat(ahead.availableBytes()).isEqualTo(BUDGET);
    }

    @Test
    void body_largerThanTheBudget_isNotEncodedAheadButByItsPoll() {
        EncodeAhead ahead = new EncodeAhead(100);
        PreparedFetch fetch = new PreparedFetch(records(50));
        FetchPreparer.Work work = ahead.prepare(fetch);
        fetch.work.set(work);
        work.run();
        assertThat(ahead.availableBytes()).as("nothing held: it did not fit").isEqualTo(100);

        byte[] body = sent(EncodeAhead.body(fetch), NOW_MS);

        assertThat(body).isEqualTo(ConsumerEndpoints.encode(new InMemoryFetch(Layout.HEAP, records(50)), NOW_MS));
    }

    @Test
    void discard_ofAnEncodedBodyNoPollTook_returnsItsBudget() {
        EncodeAhead ahead = new EncodeAhead(BUDGET);
        FetchPreparer.Work work = ahead.prepare(new PreparedFetch(records(100)));
        work.run();
        assertThat(ahead.availableBytes()).as("held while waiting for its poll").isLessThan(BUDGET);

        work.discard();

        assertThat(ahead.availableBytes()).isEqualTo(BUDGET);
    }

    @Test
    void run_afterDiscard_holdsNoBudget() {
        EncodeAhead ahead = new EncodeAhead(BUDGET);
        FetchPreparer.Work work = ahead.prepare(new PreparedFetch(records(100)));

        work.discard();
        work.run();

        assertThat(ahead.availableBytes()).isEqualTo(BUDGET);
    }

    @Test
    void budget_isSharedByAllBodiesWaitingForTheirPolls() {
        PreparedFetch first = new PreparedFetch(records(100));
        int size = ConsumeResponseEncoder.measure(first);
        EncodeAhead ahead = new EncodeAhead(size + size / 2);
        FetchPreparer.Work firstWork = ahead.prepare(first);
        FetchPreparer.Work secondWork = ahead.prepare(new PreparedFetch(records(100)));

        firstWork.run();
        secondWork.run();

        assertThat(ahead.availableBytes()).as("only the first fitted").isEqualTo(size / 2);
        firstWork.discard();
        secondWork.discard();
        assertThat(ahead.availableBytes()).isEqualTo(size + size / 2);
    }
}
