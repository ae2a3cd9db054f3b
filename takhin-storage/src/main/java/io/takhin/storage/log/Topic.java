package io.takhin.storage.log;

import io.takhin.common.TakhinException;
import java.util.List;

/**
 * A topic of the embedded store: a name and a fixed list of partition logs. Thread-safe: immutable
 * apart from the logs, which are thread-safe.
 */
public final class Topic {
    private final String name;
    private final List<PartitionLog> partitions;

    Topic(String name, List<PartitionLog> partitions) {
        this.name = name;
        this.partitions = List.copyOf(partitions);
    }

    public String name() {
        return name;
    }

    public int partitionCount() {
        return partitions.size();
    }

    /**
     * The log of partition {@code id}.
     *
     * @throws TakhinException with {@code PARTITION_NOT_FOUND} if {@code id} is not 0..count-1
     */
    public PartitionLog partition(int id) {
        if (id < 0 || id >= partitions.size()) {
            throw TakhinException.partitionNotFound(name, id, partitions.size());
        }
        return partitions.get(id);
    }

    /** The partition logs, by partition id. */
    public List<PartitionLog> partitions() {
        return partitions;
    }

    /** Closes every partition log; true if all closed cleanly. */
    boolean close() {
        boolean clean = true;
        for (PartitionLog partition : partitions) {
            partition.close();
            clean &= partition.closedCleanly();
        }
        return clean;
    }

    @Override
    public String toString() {
        return "Topic[" + name + ", partitions=" + partitions.size() + "]";
    }
}
