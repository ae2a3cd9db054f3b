package io.takhin.backend.embedded;

import io.takhin.backend.ConsumerHandle;
import io.takhin.backend.Consumers;
import io.takhin.backend.SubscribeRequest;
import io.takhin.common.Time;
import io.takhin.coordinator.GroupCoordinator;
import io.takhin.storage.log.LogManager;
import java.util.LinkedHashSet;
import java.util.concurrent.Executor;

/** Creates embedded consumers: a coordinator member plus positions over the store. Thread-safe. */
final class EmbeddedConsumers implements Consumers {
    private final LogManager logs;
    private final GroupCoordinator coordinator;
    private final Executor pollExecutor;
    private final Time time;
    private final LiveConsumers live;

    EmbeddedConsumers(
            LogManager logs, GroupCoordinator coordinator, LiveConsumers live, Executor pollExecutor, Time time) {
        this.logs = logs;
        this.live = live;
        this.coordinator = coordinator;
        this.pollExecutor = pollExecutor;
        this.time = time;
    }

    @Override
    public ConsumerHandle subscribe(SubscribeRequest request) {
        EmbeddedConsumer consumer = new EmbeddedConsumer(
                request.groupId(),
                request.consumerId(),
                request.autoOffsetReset(),
                logs,
                coordinator,
                pollExecutor,
                time,
                live);
        live.add(consumer);
        try {
            Futures.await(coordinator.join(
                    request.groupId(),
                    request.consumerId(),
                    new LinkedHashSet<>(request.topics()),
                    request.clientHost()));
        } catch (RuntimeException e) {
            live.remove(request.consumerId());
            throw e;
        }
        return consumer;
    }
}
