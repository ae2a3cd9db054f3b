package io.takhin.common;

/**
 * The clock. Production code uses {@link #SYSTEM}; tests use {@link ManualTime}. Thread-safe.
 */
public interface Time {
    /** Monotonic nanoseconds for measuring intervals; unrelated to the wall clock. */
    long nanoTime();

    /** Milliseconds since the epoch, for timestamps that leave the process. */
    long wallClockMs();

    /** Milliseconds on the monotonic clock, for deadlines. */
    default long monotonicMs() {
        return nanoTime() / 1_000_000L;
    }

    Time SYSTEM = new Time() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public long wallClockMs() {
            return System.currentTimeMillis();
        }
    };
}
