package io.takhin.common;

/**
 * Kafka's murmur2 hash and default key partitioning, so that a keyed record lands on the partition
 * a Kafka producer would choose. Verified against kafka-clients' own implementation in tests.
 */
public final class Murmur2 {
    private Murmur2() {}

    /** 32-bit murmur2 with Kafka's seed, over the whole array. */
    public static int hash(byte[] data) {
        final int length = data.length;
        final int seed = 0x9747b28c;
        final int m = 0x5bd1e995;
        final int r = 24;
        int h = seed ^ length;
        int length4 = length / 4;
        for (int i = 0; i < length4; i++) {
            final int i4 = i * 4;
            int k = (data[i4] & 0xff)
                    + ((data[i4 + 1] & 0xff) << 8)
                    + ((data[i4 + 2] & 0xff) << 16)
                    + ((data[i4 + 3] & 0xff) << 24);
            k *= m;
            k ^= k >>> r;
            k *= m;
            h *= m;
            h ^= k;
        }
        // The tail: the last length % 4 bytes, mixed in the same order as the reference code.
        int tail = length4 * 4;
        int remaining = length % 4;
        if (remaining == 3) {
            h ^= (data[tail + 2] & 0xff) << 16;
        }
        if (remaining >= 2) {
            h ^= (data[tail + 1] & 0xff) << 8;
        }
        if (remaining >= 1) {
            h ^= data[tail] & 0xff;
            h *= m;
        }
        h ^= h >>> 13;
        h *= m;
        h ^= h >>> 15;
        return h;
    }

    /** The partition Kafka's default partitioner picks for a non-null key. */
    public static int partitionForKey(byte[] key, int partitionCount) {
        return (hash(key) & 0x7fffffff) % partitionCount;
    }
}
