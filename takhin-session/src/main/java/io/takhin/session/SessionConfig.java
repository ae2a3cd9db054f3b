package io.takhin.session;

/**
 * Limits of the session layer. Immutable.
 *
 * @param maxConsumers live sessions at most (S4)
 * @param maxResponseRecordBytes key and value bytes one consume response may buffer at most; a
 *     request's {@code max_bytes_total} above it is lowered to it (S5)
 */
public record SessionConfig(int maxConsumers, long maxResponseRecordBytes) {
    /** The contract's largest {@code max_bytes_total}. */
    public static final long CONTRACT_MAX_BYTES_TOTAL = 104_857_600;

    public SessionConfig {
        if (maxConsumers < 1) {
            throw new IllegalArgumentException("maxConsumers must be >= 1, got " + maxConsumers);
        }
        if (maxResponseRecordBytes < 1024 || maxResponseRecordBytes > CONTRACT_MAX_BYTES_TOTAL) {
            throw new IllegalArgumentException("maxResponseRecordBytes must be 1024.." + CONTRACT_MAX_BYTES_TOTAL
                    + ", got " + maxResponseRecordBytes);
        }
    }

    public SessionConfig(int maxConsumers) {
        this(maxConsumers, defaults().maxResponseRecordBytes());
    }

    public static SessionConfig defaults() {
        return new SessionConfig(10_000, 64L * 1024 * 1024);
    }
}
