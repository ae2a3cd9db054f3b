package io.takhin.backend;

/** A store behind the HTTP API. Thread-safe. {@link #close()} is called once, at shutdown. */
public interface Backend extends AutoCloseable {
    /** A short name for logs and the health endpoint, e.g. "embedded". */
    String name();

    TopicAdmin topics();

    Producer producer();

    Consumers consumers();

    GroupAdmin groups();

    @Override
    void close();
}
