package io.takhin.coordinator;

import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongConsumer;

/**
 * Seeded randomness for tests: the seed comes from {@code -Dtakhin.test.seed} or is drawn at
 * random, and a failure names it so the run can be repeated.
 */
final class Seeds {
    private Seeds() {}

    static long seed() {
        Long pinned = Long.getLong("takhin.test.seed");
        return pinned != null ? pinned : ThreadLocalRandom.current().nextLong();
    }

    /** Runs {@code test} with the seed; a failure is rethrown with the seed and how to pin it. */
    static void run(LongConsumer test) {
        long seed = seed();
        try {
            test.accept(seed);
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError(
                    "failed with seed " + seed + " (repeat with -Dtakhin.test.seed=" + seed + "): " + e.getMessage(),
                    e);
        }
    }

    static SplittableRandom random(long seed) {
        return new SplittableRandom(seed);
    }
}
