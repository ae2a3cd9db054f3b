package io.takhin.storage.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.takhin.storage.TestSeed;
import java.util.Random;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@ExtendWith(TestSeed.class)
class IndexEntriesTest {
    /** floor() agrees with a linear scan, keys repeating or not, across array growth. */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 15, 16, 17, 1000})
    void floor_randomKeys_matchesLinearScan(int count, Random random) {
        IndexEntries entries = new IndexEntries();
        long[] keys = new long[count];
        long key = random.nextInt(10);
        for (int i = 0; i < count; i++) {
            key += random.nextInt(3); // repeats allowed, as in the time index
            keys[i] = key;
            entries.append(key, i);
        }

        for (int probe = 0; probe < 200; probe++) {
            long target = random.nextLong(key + 5) - 2;
            int expected = -1;
            for (int i = 0; i < count; i++) {
                if (keys[i] <= target) {
                    expected = i;
                }
            }
            assertThat(entries.floor(target)).as("floor(%d)", target).isEqualTo(expected);
        }
        assertThat(entries.count()).isEqualTo(count);
    }
}
