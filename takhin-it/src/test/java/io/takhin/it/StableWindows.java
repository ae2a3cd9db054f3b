package io.takhin.it;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The stable-window check of {@link ConsumerConcurrencyIT} and {@link KafkaFailoverIT}: while a
 * consumer keeps a partition in one generation (its observations before and after, one generation,
 * the partition owned in all), the offsets it receives of it are consecutive: no duplicate, no gap.
 * Within one response they always are.
 */
final class StableWindows {
    /** What a consumer saw of its assignment: index 0 is the subscribe response, i the GET after consume i. */
    interface Seen {
        int generation();

        Set<Integer> partitions();
    }

    /** One record a consumer received, by its consume number {@code consume} (from 1). */
    interface Received {
        String consumerId();

        int consume();

        int partition();

        long offset();
    }

    /** A further check of each received record, given the observations around its consume. */
    @FunctionalInterface
    interface AlsoCheck<R> {
        void check(R received, @Nullable Seen before, @Nullable Seen after, List<String> violations);
    }

    private StableWindows() {}

    /**
     * Adds every violation to {@code violations} and returns how many stable windows were checked.
     * {@code where} adds to a window violation's message (a time, say).
     */
    static <R extends Received> int check(
            Iterable<R> received,
            Map<String, ? extends Map<Integer, ? extends Seen>> observationsByConsumer,
            Function<R, String> where,
            AlsoCheck<R> also,
            List<String> violations) {
        Map<String, Map<Integer, List<R>>> byConsumer = new LinkedHashMap<>();
        for (R record : received) {
            byConsumer
                    .computeIfAbsent(record.consumerId(), id -> new TreeMap<>())
                    .computeIfAbsent(record.consume(), c -> new ArrayList<>())
                    .add(record);
        }
        int windows = 0;
        for (Map.Entry<String, Map<Integer, List<R>>> consumer : byConsumer.entrySet()) {
            String consumerId = consumer.getKey();
            Map<Integer, ? extends Seen> known = observationsByConsumer.get(consumerId);
            Map<Integer, ? extends Seen> observations = known == null ? Map.of() : known;
            // Per partition: the last received offset and the consume that received it.
            Map<Integer, long[]> last = new HashMap<>();
            for (Map.Entry<Integer, List<R>> response : consumer.getValue().entrySet()) {
                int consume = response.getKey();
                Seen before = observations.get(consume - 1);
                Seen after = observations.get(consume);
                Map<Integer, Long> previousInResponse = new HashMap<>();
                for (R record : response.getValue()) {
                    int partition = record.partition();
                    long offset = record.offset();
                    Long previous = previousInResponse.put(partition, offset);
                    if (previous != null && offset != previous + 1) {
                        violations.add("consumer " + consumerId + " consume " + consume + ": partition " + partition
                                + " offsets " + previous + " then " + offset + " in one response");
                    }
                    also.check(record, before, after, violations);
                    long[] seen = last.get(partition);
                    if (previous == null
                            && seen != null
                            && stableBetween(observations, (int) seen[1], consume, partition)) {
                        windows++;
                        if (offset != seen[0] + 1) {
                            violations.add("consumer " + consumerId + " partition " + partition + ": offset " + offset
                                    + " after " + seen[0] + " in one generation (consumes " + seen[1] + " to " + consume
                                    + where.apply(record) + ")"
                                    + (offset <= seen[0] ? ": received twice" : ": skipped records"));
                        }
                    }
                    last.put(partition, new long[] {offset, consume});
                }
            }
        }
        return windows;
    }

    /**
     * True if the observations from before consume {@code from} to after consume {@code to} all
     * exist, share one generation and include the partition: no rebalance touched it in between.
     */
    private static boolean stableBetween(Map<Integer, ? extends Seen> observations, int from, int to, int partition) {
        Integer generation = null;
        for (int index = from - 1; index <= to; index++) {
            Seen observation = observations.get(index);
            if (observation == null || !observation.partitions().contains(partition)) {
                return false;
            }
            if (generation == null) {
                generation = observation.generation();
            } else if (generation != observation.generation()) {
                return false;
            }
        }
        return true;
    }
}
