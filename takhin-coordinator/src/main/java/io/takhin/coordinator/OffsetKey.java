package io.takhin.coordinator;

import io.takhin.common.TopicPartition;
import java.util.Comparator;

/** A group's committed offset is stored under this key. Immutable; sorted by group, then partition. */
record OffsetKey(String groupId, TopicPartition partition) implements Comparable<OffsetKey> {
    private static final Comparator<OffsetKey> ORDER =
            Comparator.comparing(OffsetKey::groupId).thenComparing(OffsetKey::partition);

    @Override
    public int compareTo(OffsetKey other) {
        return ORDER.compare(this, other);
    }
}
