package io.takhin.storage.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AppendNotifierTest {
    final AtomicLong highWatermark = new AtomicLong();
    final AppendNotifier notifier = new AppendNotifier(highWatermark::get);

    private void publish(long newHighWatermark) {
        highWatermark.set(newHighWatermark);
        notifier.swap().complete(null);
    }

    @Test
    void await_completesOnlyOnceHighWatermarkPassesOffset() {
        CompletableFuture<Void> waiting = notifier.await(5);

        publish(5);
        assertThat(waiting).as("offset 5 is not readable at high watermark 5").isNotDone();
        publish(6);

        assertThat(waiting).isCompleted();
    }

    @Test
    void await_alreadyReadable_completedAtOnce() {
        highWatermark.set(3);

        assertThat(notifier.await(2)).isCompleted();
        assertThat(notifier.await(3)).isNotDone();
    }

    /** The high watermark moved after the waiter read it but before it registered: no lost wake-up. */
    @Test
    void await_publishBetweenCheckAndRegistration_stillCompletes() {
        CompletableFuture<Void> waiting = notifier.await(0);
        highWatermark.set(1); // published without a swap yet

        notifier.swap().complete(null);

        assertThat(waiting).isCompleted();
    }

    @Test
    void stop_completesEveryWaiterAndLaterAwaits() {
        CompletableFuture<Void> waiting = notifier.await(10);

        notifier.stop();

        assertThat(waiting).isCompleted();
        assertThat(notifier.await(100)).isCompleted();
    }

    @Test
    void await_cancelledWaiter_isNotCompletedLater() {
        CompletableFuture<Void> waiting = notifier.await(0);
        waiting.cancel(false);

        publish(1);

        assertThat(waiting).isCancelled();
    }

    @Test
    void await_waitersThatGiveUp_leaveAtOnceWithoutAnyPublish() {
        for (int i = 0; i < 10_000; i++) {
            notifier.await(0)
                    .completeOnTimeout(null, 0, java.util.concurrent.TimeUnit.MILLISECONDS)
                    .join();
            notifier.await(0).cancel(false);
        }

        // An idle partition must not accumulate abandoned long polls.
        assertThat(notifier.waiterCount()).isZero();
    }

    @Test
    void publish_wakesOnlyWaitersWhoseOffsetBecameReadable() {
        CompletableFuture<Void> atEnd = notifier.await(0);
        CompletableFuture<Void> pastEnd = notifier.await(3);

        publish(1);

        assertThat(atEnd).isCompleted();
        assertThat(pastEnd).isNotDone();
        assertThat(notifier.waiterCount()).isEqualTo(1);
    }
}
