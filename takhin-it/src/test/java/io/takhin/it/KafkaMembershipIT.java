package io.takhin.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.takhin.it.ConsumerClient.Consumer;
import io.takhin.it.ConsumerClient.Rec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Group membership over Kafka while the HTTP client is away: the member's own thread keeps polling
 * (with its partitions paused once its buffer is full), so neither Kafka's max.poll.interval.ms nor
 * its session timeout removes it, and a rebalance does not wait for the absent client. The server
 * runs with both Kafka timeouts far below the idle time, so a member whose loop stopped would be
 * thrown out.
 */
@Tag(TestBackend.KAFKA_ONLY)
class KafkaMembershipIT {
    @RegisterExtension
    static final TakhinServerExtension server =
            new TakhinServerExtension("--kafka.max.poll.interval.ms=2000", "--kafka.session.timeout.ms=6000");

    @Test
    void clientAwayLongerThanKafkasTimeoutsWithAFullBuffer_keepsItsMembershipAndDoesNotStallAJoin()
            throws InterruptedException {
        ConsumerClient client = ConsumerClient.connect(server);
        client.createTopic("away", 2);
        // 2 x 12 MiB: more than the consumer's 16 MiB buffer, so it pauses its partitions.
        String value = "v".repeat(100_000);
        for (int partition = 0; partition < 2; partition++) {
            for (int batch = 0; batch < 12; batch++) {
                List<String> values = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    values.add(value);
                }
                client.produce("away", partition, values.toArray(String[]::new));
            }
        }
        Consumer away = client.subscribe("away-group", "earliest", 120_000, "away");
        int generation = away.subscribed().path("generation_id").asInt();
        assertThat(away.partitions("away")).containsExactly(0, 1);

        Thread.sleep(9_000); // over 4x max.poll.interval.ms and 1.5x session.timeout.ms, no call

        long joinStart = System.nanoTime();
        Consumer joining = client.subscribe("away-group", "earliest", 120_000, "away");
        long joinMs = (System.nanoTime() - joinStart) / 1_000_000;
        assertThat(joinMs).as("a join does not wait for the absent client, ms").isLessThan(10_000);
        assertThat(joining.subscribed().path("generation_id").asInt())
                .as("one rebalance for the join: the absent member was never thrown out")
                .isEqualTo(generation + 1);
        assertThat(away.partitions("away")).hasSize(1);
        assertThat(joining.partitions("away")).hasSize(1);

        List<Rec> records = away.consume(5, 5_000);
        assertThat(records).isNotEmpty();
        int owned = away.partitions("away").iterator().next();
        assertThat(records).allSatisfy(record -> assertThat(record.partition()).isEqualTo(owned));
        assertThat(records.getFirst().offset()).isZero();
        assertThat(away.commitRaw("").status()).isEqualTo(200);
    }
}
