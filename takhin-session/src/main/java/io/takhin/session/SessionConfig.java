package io.takhin.session;

/**
 * Limits of the session layer. Immutable.
 *
 * @param maxConsumers live sessions at most (S4)
 */
public record SessionConfig(int maxConsumers) {
    public SessionConfig {
        if (maxConsumers < 1) {
            throw new IllegalArgumentException("maxConsumers must be >= 1, got " + maxConsumers);
        }
    }

    public static SessionConfig defaults() {
        return new SessionConfig(10_000);
    }
}
