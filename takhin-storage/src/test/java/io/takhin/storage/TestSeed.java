package io.takhin.storage;

import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * JUnit 5 extension that hands a test a seeded {@link Random} parameter and, when the test fails,
 * prints the seed and attaches it to the failure. Without {@code -Dtakhin.test.seed=N} every test
 * invocation draws a fresh seed; with it, every invocation uses N, so a failing one replays exactly:
 * {@code ./mvnw -pl takhin-storage test -Dtest=RecoveryTest -Dtakhin.test.seed=N}.
 * Thread-safe (state lives in the extension context store).
 */
public final class TestSeed implements ParameterResolver, TestExecutionExceptionHandler {
    public static final String PROPERTY = "takhin.test.seed";
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(TestSeed.class);

    /** The pinned seed, or a fresh one. */
    public static long nextSeed() {
        Long pinned = Long.getLong(PROPERTY);
        return pinned != null ? pinned : ThreadLocalRandom.current().nextLong();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == Random.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        long seed = nextSeed();
        extensionContext.getStore(NAMESPACE).put("seed", seed);
        return new Random(seed);
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        Long seed = context.getStore(NAMESPACE).get("seed", Long.class);
        if (seed != null) {
            String message =
                    context.getDisplayName() + " failed with seed " + seed + "; replay with -D" + PROPERTY + "=" + seed;
            System.err.println(message);
            throwable.addSuppressed(new AssertionError(message));
        }
        throw throwable;
    }
}
