package io.takhin.backend;

/** A store behind the HTTP API. Thread-safe. {@link #close()} is called once, at shutdown. */
public interface Backend extends AutoCloseable {
    /** A short name for logs and the health endpoint, e.g. "embedded". */
    String name();

    TopicAdmin topics();

    Producer producer();

    Consumers consumers();

    GroupAdmin groups();

    /** Whether the backend can serve requests now; an embedded store always can. */
    default Status status() {
        return Status.AVAILABLE;
    }

    /** Availability and, when unavailable, a sentence saying why. Immutable. */
    record Status(boolean available, String detail) {
        public static final Status AVAILABLE = new Status(true, "");
    }

    @Override
    void close();
}
