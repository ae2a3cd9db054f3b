package io.takhin.storage.log;

import java.util.Arrays;

/**
 * A growable array of (key, value) pairs sorted by key, readable while one thread appends.
 * Thread-safe for one writer and any number of readers: the writer stores an entry, publishes a
 * grown array (if it had to grow) and only then the count, both volatile; a reader reads the count
 * first, so every entry below it is in the array it reads next. The single writer is the partition's
 * write lock holder, or the recovering thread before the log is shared.
 */
final class IndexEntries {
    private volatile long[] pairs = new long[16];
    private volatile int count;

    void append(long key, long value) {
        long[] current = pairs;
        int index = count;
        if (2 * index + 2 > current.length) {
            current = Arrays.copyOf(current, current.length * 2);
            current[2 * index] = key;
            current[2 * index + 1] = value;
            pairs = current;
        } else {
            current[2 * index] = key;
            current[2 * index + 1] = value;
        }
        count = index + 1;
    }

    /** Forgets every entry; only while no reader can see this object (recovery). */
    void clear() {
        pairs = new long[16];
        count = 0;
    }

    int count() {
        return count;
    }

    long key(int index) {
        return pairs[2 * index];
    }

    long value(int index) {
        return pairs[2 * index + 1];
    }

    /** Index of the last entry whose key is &lt;= {@code key}, or -1; keys may repeat. */
    int floor(long key) {
        int size = count;
        long[] snapshot = pairs;
        int low = 0;
        int high = size - 1;
        int found = -1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            if (snapshot[2 * middle] <= key) {
                found = middle;
                low = middle + 1;
            } else {
                high = middle - 1;
            }
        }
        return found;
    }

    boolean sameAs(IndexEntries other) {
        int size = count;
        if (other.count() != size) {
            return false;
        }
        for (int i = 0; i < size; i++) {
            if (key(i) != other.key(i) || value(i) != other.value(i)) {
                return false;
            }
        }
        return true;
    }
}
