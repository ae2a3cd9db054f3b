package io.takhin.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.takhin.backend.Fetch;
import io.takhin.backend.SubscribeRequest.OffsetReset;
import io.takhin.backend.embedded.EmbeddedBackend;
import io.takhin.common.ErrorCode;
import io.takhin.common.TakhinException;
import io.takhin.common.Time;
import io.takhin.storage.log.LogConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The session table over the real embedded backend: ids, limits, one poll at a time, expiry. */
class ConsumerSessionsTest {
    @TempDir
    Path dataDir;

    private EmbeddedBackend backend;
    private ConsumerSessions sessions;

    @BeforeEach
    void open() {
        backend = EmbeddedBackend.open(dataDir, LogConfig.defaults(), Time.SYSTEM);
        backend.topics().create("orders", 2);
        sessions = new ConsumerSessions(backend.consumers(), new SessionConfig(3), Time.SYSTEM);
    }

    @AfterEach
    void close() {
        sessions.close();
        backend.close();
    }

    private ConsumerSession subscribe(Duration sessionTimeout) {
        return sessions.subscribe("g", List.of("orders"), OffsetReset.EARLIEST, sessionTimeout, "127.0.0.1");
    }

    @Test
    void subscribe_idsAre128RandomBitsAndNeverRepeat() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            ConsumerSession session = subscribe(Duration.ofSeconds(30));
            ids.add(session.id());
            assertThat(session.id()).matches("[A-Za-z0-9_-]{22}"); // 16 bytes, base64url
            sessions.close(session.id());
        }
        assertThat(ids).hasSize(3);
    }

    @Test
    void subscribe_beyondTheLimit_tooManyRequestsUntilOneCloses() {
        ConsumerSession first = subscribe(Duration.ofSeconds(30));
        subscribe(Duration.ofSeconds(30));
        subscribe(Duration.ofSeconds(30));

        assertThatThrownBy(() -> subscribe(Duration.ofSeconds(30)))
                .isInstanceOfSatisfying(
                        TakhinException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TOO_MANY_REQUESTS));

        sessions.close(first.id());
        assertThat(subscribe(Duration.ofSeconds(30)).id()).isNotEqualTo(first.id());
    }

    @Test
    void subscribe_unknownTopic_doesNotCountAgainstTheLimit() {
        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() ->
                            sessions.subscribe("g", List.of("nope"), OffsetReset.EARLIEST, Duration.ofSeconds(30), "h"))
                    .isInstanceOfSatisfying(
                            TakhinException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TOPIC_NOT_FOUND));
        }
        assertThat(sessions.size()).isZero();
        subscribe(Duration.ofSeconds(30));
    }

    @Test
    void poll_secondConcurrentPoll_pollInProgress() {
        ConsumerSession session = subscribe(Duration.ofSeconds(30));
        CompletableFuture<Fetch> first = session.poll(10, 1 << 20, Duration.ofSeconds(5));

        assertThatThrownBy(() -> session.poll(10, 1 << 20, Duration.ofSeconds(5)))
                .isInstanceOfSatisfying(
                        TakhinException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.POLL_IN_PROGRESS));

        backend.producer()
                .produce("orders", List.of(new io.takhin.backend.ProduceRecord(null, new byte[] {1}, List.of(), 0)));
        assertThat(first.join().recordCount()).isEqualTo(1);
        session.pollDone();
        assertThat(session.poll(10, 1 << 20, Duration.ZERO).join().recordCount())
                .as("not advanced: the fetch was never delivered")
                .isEqualTo(1);
    }

    @Test
    void expiry_silentSession_isClosedAndItsIdForgotten() throws Exception {
        ConsumerSession silent = subscribe(Duration.ofSeconds(1));
        ConsumerSession active = subscribe(Duration.ofSeconds(30));

        // The expiry timer fires about one session timeout after the last call; wait for its effect.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (sessions.size() > 1 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }

        assertThatThrownBy(() -> sessions.get(silent.id()))
                .isInstanceOfSatisfying(
                        TakhinException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONSUMER_NOT_FOUND));
        assertThat(active.assignment().partitions())
                .as("the expired member's partitions moved")
                .hasSize(2);
    }

    @Test
    void expiry_pollInFlightLongerThanTheTimeout_keepsTheSessionAlive() throws Exception {
        ConsumerSession session = subscribe(Duration.ofSeconds(1));

        Fetch fetch = session.poll(10, 1 << 20, Duration.ofMillis(2500)).get(10, TimeUnit.SECONDS);
        session.pollDone();

        assertThat(fetch.recordCount()).isZero();
        assertThat(sessions.get(session.id())).isSameAs(session);
    }
}
