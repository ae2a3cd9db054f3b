package io.takhin.common;

import org.jspecify.annotations.Nullable;

/**
 * A client or environment error: the message is a sentence for the client naming the bad field
 * or the missing thing, and the code says what kind of error it is. Never used for our own bugs.
 */
public class TakhinException extends RuntimeException {
    private final ErrorCode code;

    public TakhinException(ErrorCode code, String message) {
        this(code, message, null);
    }

    public TakhinException(ErrorCode code, String message, @Nullable Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }

    /** A missing, malformed or out-of-range request field. */
    public static TakhinException invalidArgument(String message) {
        return new TakhinException(ErrorCode.INVALID_ARGUMENT, message);
    }

    public static TakhinException topicNotFound(String topic) {
        return new TakhinException(ErrorCode.TOPIC_NOT_FOUND, "topic '" + topic + "' does not exist");
    }

    public static TakhinException partitionNotFound(String topic, int partition, int partitionCount) {
        return new TakhinException(
                ErrorCode.PARTITION_NOT_FOUND,
                "partition " + partition + " does not exist in topic '" + topic + "' (it has " + partitionCount
                        + " partitions: 0.." + (partitionCount - 1) + ")");
    }
}
