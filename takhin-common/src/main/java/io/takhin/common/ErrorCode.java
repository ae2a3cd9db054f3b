package io.takhin.common;

/**
 * Stable error codes. The {@link #wire()} string is part of the public API and never changes;
 * the Java constant names may.
 */
public enum ErrorCode {
    /** A request field is missing, malformed or out of range. */
    INVALID_ARGUMENT("invalid_argument"),
    /** The request body is not valid JSON or not of the expected shape. */
    MALFORMED_REQUEST("malformed_request"),
    /** The request body exceeds the configured limit. */
    PAYLOAD_TOO_LARGE("payload_too_large"),
    /** The named topic does not exist. */
    TOPIC_NOT_FOUND("topic_not_found"),
    /** The named partition does not exist in an existing topic. */
    PARTITION_NOT_FOUND("partition_not_found"),
    /** A topic of that name exists already. */
    TOPIC_ALREADY_EXISTS("topic_already_exists"),
    /** No route matches the request path. */
    NOT_FOUND("not_found"),
    /** The route exists but not for this HTTP method. */
    METHOD_NOT_ALLOWED("method_not_allowed"),
    /** The consumer id is unknown, closed or expired. */
    CONSUMER_NOT_FOUND("consumer_not_found"),
    /** The consumer does not own the partition right now. */
    PARTITION_NOT_OWNED("partition_not_owned"),
    /** The consumer already has a poll in flight. */
    POLL_IN_PROGRESS("poll_in_progress"),
    /** The consumer group is unknown. */
    GROUP_NOT_FOUND("group_not_found"),
    /** A configured limit (consumers, concurrent requests) is reached; retry later. */
    TOO_MANY_REQUESTS("too_many_requests"),
    /** The storage under a partition failed (I/O error); it refuses writes until restart. */
    STORAGE_UNAVAILABLE("storage_unavailable"),
    /** The backend (for example a Kafka cluster) cannot be reached. */
    BACKEND_UNAVAILABLE("backend_unavailable"),
    /** The server is shutting down. */
    SHUTTING_DOWN("shutting_down"),
    /** A bug: an unexpected failure. Logged with a stack trace, never shown to the client. */
    INTERNAL("internal");

    private final String wire;

    ErrorCode(String wire) {
        this.wire = wire;
    }

    /** The snake_case string sent to clients. */
    public String wire() {
        return wire;
    }
}
