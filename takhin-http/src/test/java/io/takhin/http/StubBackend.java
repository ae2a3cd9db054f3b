package io.takhin.http;

import io.takhin.backend.Backend;
import io.takhin.backend.Consumers;
import io.takhin.backend.GroupAdmin;
import io.takhin.backend.Producer;
import io.takhin.backend.TopicAdmin;
import io.takhin.common.Time;
import io.takhin.session.ConsumerSessions;
import io.takhin.session.SessionConfig;
import java.util.function.Supplier;

/**
 * A backend with a name and nothing else, for tests of routing, limits and errors that never reach a
 * store. It does not pretend to be one: every data call throws {@link UnsupportedOperationException}
 * (which the server must answer as 500 {@code internal}). Stores are tested end to end in takhin-it.
 */
final class StubBackend implements Backend {
    private final Supplier<String> name;

    StubBackend(Supplier<String> name) {
        this.name = name;
    }

    StubBackend() {
        this(() -> "stub");
    }

    @Override
    public String name() {
        return name.get();
    }

    @Override
    public TopicAdmin topics() {
        throw new UnsupportedOperationException("StubBackend has no topics");
    }

    @Override
    public Producer producer() {
        throw new UnsupportedOperationException("StubBackend has no producer");
    }

    @Override
    public Consumers consumers() {
        return request -> {
            throw new UnsupportedOperationException("StubBackend has no consumers");
        };
    }

    @Override
    public GroupAdmin groups() {
        throw new UnsupportedOperationException("StubBackend has no groups");
    }

    @Override
    public void close() {}

    /** Sessions over this backend; subscribing through them fails like every other backend call. */
    ConsumerSessions sessions() {
        return new ConsumerSessions(request -> consumers().subscribe(request), SessionConfig.defaults(), Time.SYSTEM);
    }
}
