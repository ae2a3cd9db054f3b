package io.takhin.it;

import java.util.Map;
import java.util.Set;

/**
 * What a consumer saw of its assignment at one moment (the subscribe response, or a GET after a
 * consume), as the checkers of {@link ConsumerConcurrencyIT} and {@link KafkaFailoverIT} record it.
 */
interface AssignmentSeen {
    int generation();

    Set<Integer> partitions();

    /**
     * True if the observations from before consume {@code from} to after consume {@code to} (keyed
     * by consume number, 0 the subscribe) all exist, share one generation and include the
     * partition: no rebalance touched it in between.
     */
    static boolean stableBetween(Map<Integer, ? extends AssignmentSeen> observations, int from, int to, int partition) {
        Integer generation = null;
        for (int index = from - 1; index <= to; index++) {
            AssignmentSeen observation = observations.get(index);
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
