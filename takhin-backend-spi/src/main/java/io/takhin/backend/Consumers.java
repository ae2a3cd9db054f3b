package io.takhin.backend;

/** Creates consumers of a backend. Thread-safe. */
public interface Consumers {
    /**
     * Creates a consumer, joins its group and subscribes it to {@code request.topics()}; returns once
     * the group has given it its share of the partitions, so the first poll can return data.
     *
     * @throws io.takhin.common.TakhinException {@code topic_not_found} naming the first missing topic
     */
    ConsumerHandle subscribe(SubscribeRequest request);

    /**
     * Registers the work to do on fetches this backend prepares before their polls arrive (B4).
     * Called once, at startup, before any subscribe; a backend that prepares nothing ignores it.
     */
    default void prepareWith(FetchPreparer preparer) {}
}
