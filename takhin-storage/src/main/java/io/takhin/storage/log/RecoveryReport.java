package io.takhin.storage.log;

import io.takhin.common.TopicPartition;

/**
 * What opening a partition log found. Immutable.
 *
 * @param cleanShutdown the log was closed cleanly, so its data was not scanned
 * @param bytesTruncated bytes cut from the log: a corrupt or torn tail plus any later segments
 * @param logEndOffset the offset the next append gets; everything below it survived
 * @param indexesRebuilt how many .index and .timeindex files were rewritten because they were missing
 *     or disagreed with the log
 */
public record RecoveryReport(
        TopicPartition partition, boolean cleanShutdown, long bytesTruncated, long logEndOffset, int indexesRebuilt) {}
