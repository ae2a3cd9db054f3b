package io.takhin.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

/** Our murmur2 must place keys exactly where kafka-clients' own implementation does. */
class Murmur2Test {
    @Test
    void hash_matchesKafkaClientsForEveryLengthAndRandomBytes() {
        long seed = Long.getLong("takhin.test.seed", 20261123L);
        Random random = new Random(seed);
        for (int length = 0; length < 64; length++) {
            for (int round = 0; round < 50; round++) {
                byte[] key = new byte[length];
                random.nextBytes(key);
                assertThat(Murmur2.hash(key))
                        .as("seed %d, length %d", seed, length)
                        .isEqualTo(Utils.murmur2(key));
            }
        }
    }

    @Test
    void partitionForKey_matchesKafkasDefaultPartitioner() {
        for (int i = 0; i < 1000; i++) {
            byte[] key = ("key-" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            for (int partitions : new int[] {1, 3, 7, 64}) {
                assertThat(Murmur2.partitionForKey(key, partitions))
                        .isEqualTo(Utils.toPositive(Utils.murmur2(key)) % partitions);
            }
        }
    }
}
