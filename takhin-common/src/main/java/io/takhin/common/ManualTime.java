package io.takhin.common;

import java.util.concurrent.atomic.AtomicLong;

/** A clock that moves only when told to. Thread-safe (atomics). */
public final class ManualTime implements Time {
    private final AtomicLong nanos = new AtomicLong();
    private final AtomicLong wallClockMs;

    public ManualTime(long startWallClockMs) {
        this.wallClockMs = new AtomicLong(startWallClockMs);
    }

    public ManualTime() {
        this(1_700_000_000_000L);
    }

    @Override
    public long nanoTime() {
        return nanos.get();
    }

    @Override
    public long wallClockMs() {
        return wallClockMs.get();
    }

    /** Moves both clocks forward. */
    public void advanceMs(long ms) {
        if (ms < 0) {
            throw new IllegalArgumentException("time moves forward only, got " + ms + " ms");
        }
        nanos.addAndGet(ms * 1_000_000L);
        wallClockMs.addAndGet(ms);
    }
}
