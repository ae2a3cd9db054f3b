package io.takhin.backend;

import java.util.List;

/** A topic and its partitions' offsets, as read at one moment. Immutable. */
public record TopicInfo(String name, List<PartitionInfo> partitions) {
    public TopicInfo {
        partitions = List.copyOf(partitions);
    }

    public int partitionCount() {
        return partitions.size();
    }

    /**
     * One partition: the first readable offset and the high watermark (the offset after the last
     * record a consumer can read).
     */
    public record PartitionInfo(int id, long logStartOffset, long highWatermark) {}
}
