package io.takhin.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.takhin.backend.Fetch;
import io.takhin.backend.FetchPreparer;
import io.takhin.http.ConsumerEncodingTest.InMemoryFetch;
import io.takhin.http.ConsumerEncodingTest.Layout;
import io.takhin.http.ConsumerEncodingTest.StoredRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** H8: a body encoded ahead of its poll is the body its poll would have encoded; the budget holds. */
class EncodeAheadTest {
    private static final long NOW_MS = 1_704_537_600_500L;
    private static final long BUDGET = 1024 * 1024;

    /** A fetch as a backend prepares it: its work from {@code ahead} handed over, taken once (B4). */
    private static final class PreparedFetch implements Fetch {
        private final InMemoryFetch records;
        /** The work the backend handed over; run by each test as the backend would. */
        private final FetchPreparer.Work work;

        private final AtomicBoolean taken = new AtomicBoolean();

        PreparedFetch(EncodeAhead ahead, int count) {
            this.records = new InMemoryFetch(Layout.HEAP_WITH_ARRAY_OFFSET, records(count));
            this.work = ahead.prepare(this);
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
            return taken.compareAndSet(false, true) ? work : null;
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

    /** The bytes a consume of {@code count} such records sends when nothing was encoded ahead. */
    private static byte[] encodedByThePoll(int count) {
        return ConsumerEncodingTest.encode(new InMemoryFetch(Layout.HEAP, records(count)), NOW_MS);
    }

    @Test
    void body_encodedAheadOnAnotherThread_isTheBytesItsPollWouldHaveEncoded() throws InterruptedException {
        EncodeAhead ahead = new EncodeAhead(BUDGET);
        PreparedFetch fetch = new PreparedFetch(ahead, 200);
        Thread.ofVirtual().start(fetch.work).join();

        byte[] body = ConsumerEncodingTest.encode(fetch, NOW_MS);

        assertThat(new String(body, StandardCharsets.UTF_8))
                .isEqualTo(new String(encodedByThePoll(200), StandardCharsets.UTF_8));
        assertThat(ahead.availableBytes())
                .as("taken: the budget is whole again")
                .isEqualTo(BUDGET);
    }

    @Test
    void body_takenWhileTheWorkStillRuns_waitsForItAndSendsTheSameBytes() throws InterruptedException {
        EncodeAhead ahead = new EncodeAhead(BUDGET);
        PreparedFetch fetch = new PreparedFetch(ahead, 5_000);
        Thread backend = Thread.ofVirtual().start(fetch.work);

        byte[] body = ConsumerEncodingTest.encode(fetch, NOW_MS);
        backend.join();

        assertThat(body).isEqualTo(encodedByThePoll(5_000));
        assertThat(ahead.availableBytes()).isEqualTo(BUDGET);
    }

    @Test
    void body_largerThanTheBudget_isNotEncodedAheadButByItsPoll() {
        EncodeAhead ahead = new EncodeAhead(100);
        PreparedFetch fetch = new PreparedFetch(ahead, 50);
        fetch.work.run();
        assertThat(ahead.availableBytes()).as("nothing held: it did not fit").isEqualTo(100);

        byte[] body = ConsumerEncodingTest.encode(fetch, NOW_MS);

        assertThat(body).isEqualTo(encodedByThePoll(50));
    }

    @Test
    void discard_ofAnEncodedBodyNoPollTook_returnsItsBudget() {
        EncodeAhead ahead = new EncodeAhead(BUDGET);
        FetchPreparer.Work work = new PreparedFetch(ahead, 100).work;
        work.run();
        assertThat(ahead.availableBytes()).as("held while waiting for its poll").isLessThan(BUDGET);

        work.discard();

        assertThat(ahead.availableBytes()).isEqualTo(BUDGET);
    }

    @Test
    void run_afterDiscard_holdsNoBudget() {
        EncodeAhead ahead = new EncodeAhead(BUDGET);
        FetchPreparer.Work work = new PreparedFetch(ahead, 100).work;

        work.discard();
        work.run();

        assertThat(ahead.availableBytes()).isEqualTo(BUDGET);
    }

    @Test
    void budget_isSharedByAllBodiesWaitingForTheirPolls() {
        int size = ConsumeResponseEncoder.measure(new InMemoryFetch(Layout.HEAP, records(100)));
        EncodeAhead ahead = new EncodeAhead(size + size / 2);
        FetchPreparer.Work firstWork = new PreparedFetch(ahead, 100).work;
        FetchPreparer.Work secondWork = new PreparedFetch(ahead, 100).work;

        firstWork.run();
        secondWork.run();

        assertThat(ahead.availableBytes()).as("only the first fitted").isEqualTo(size / 2);
        firstWork.discard();
        secondWork.discard();
        assertThat(ahead.availableBytes()).isEqualTo(size + size / 2);
    }
}
