package io.takhin.session;

import io.takhin.backend.Consumers;
import io.takhin.backend.SubscribeRequest;
import io.takhin.common.ErrorCode;
import io.takhin.common.TakhinException;
import io.takhin.common.Time;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The table of live consumer sessions and their expiry timers. Thread-safe; see the package doc for
 * the invariants S1-S4.
 */
public final class ConsumerSessions implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConsumerSessions.class);

    private final Consumers consumers;
    private final SessionConfig config;
    private final Time time;
    private final SecureRandom random = new SecureRandom();
    private final ConcurrentHashMap<String, ConsumerSession> sessions = new ConcurrentHashMap<>();
    /** Sessions counted against the limit, including ones still subscribing (S4). */
    private final AtomicInteger reserved = new AtomicInteger();

    private final ScheduledExecutorService expiry;

    public ConsumerSessions(Consumers consumers, SessionConfig config, Time time) {
        this.consumers = consumers;
        this.config = config;
        this.time = time;
        this.expiry = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("session-expiry").daemon().factory());
    }

    /** Creates a session: a new id, a group member subscribed to {@code topics}. */
    public ConsumerSession subscribe(
            String groupId,
            List<String> topics,
            SubscribeRequest.OffsetReset autoOffsetReset,
            Duration sessionTimeout,
            String clientHost) {
        if (reserved.incrementAndGet() > config.maxConsumers()) {
            reserved.decrementAndGet();
            throw new TakhinException(
                    ErrorCode.TOO_MANY_REQUESTS,
                    "the server already has " + config.maxConsumers()
                            + " consumers, its configured maximum; close idle consumers or retry later");
        }
        try {
            String id = newId();
            var handle = consumers.subscribe(
                    new SubscribeRequest(id, groupId, topics, autoOffsetReset, sessionTimeout, clientHost));
            ConsumerSession session = new ConsumerSession(
                    id, groupId, sessionTimeout, config.maxResponseRecordBytes(), topics, handle, time);
            sessions.put(id, session);
            armTimer(session, sessionTimeout.toNanos());
            log.info("Consumer {} joined group {} subscribed to {}", id, groupId, topics);
            return session;
        } catch (RuntimeException e) {
            reserved.decrementAndGet();
            throw e;
        }
    }

    /** The live session with this id; throws {@code consumer_not_found}. Not activity by itself. */
    public ConsumerSession get(String consumerId) {
        ConsumerSession session = sessions.get(consumerId);
        if (session == null) {
            throw new TakhinException(
                    ErrorCode.CONSUMER_NOT_FOUND,
                    "consumer '" + consumerId + "' does not exist: it was never created, was closed, or expired");
        }
        return session;
    }

    /** Closes a session as a client DELETE does; throws {@code consumer_not_found}. */
    public void close(String consumerId) {
        ConsumerSession session = get(consumerId);
        remove(session, "closed by the client");
    }

    public int size() {
        return sessions.size();
    }

    private String newId() {
        byte[] bits = new byte[16];
        random.nextBytes(bits);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
    }

    private void armTimer(ConsumerSession session, long delayNanos) {
        expiry.schedule(() -> checkExpiry(session), Math.max(delayNanos, 1_000_000L), TimeUnit.NANOSECONDS);
    }

    /** Runs on the expiry thread: closes the session if its deadline passed (S3), else re-arms. */
    private void checkExpiry(ConsumerSession session) {
        if (session.isClosed() || sessions.get(session.id()) != session) {
            return;
        }
        long now = time.nanoTime();
        long remaining = session.deadlineNanos() - now;
        if (session.pollInFlight()) {
            // A long poll in progress is activity: look again one timeout after it could end.
            armTimer(session, session.sessionTimeout().toNanos());
        } else if (remaining > 0) {
            armTimer(session, remaining);
        } else {
            remove(session, "expired after " + session.sessionTimeout().toMillis() + " ms without a call");
        }
    }

    private void remove(ConsumerSession session, String why) {
        if (!sessions.remove(session.id(), session)) {
            return;
        }
        reserved.decrementAndGet();
        try {
            session.closeHandle();
        } finally {
            log.info("Consumer {} of group {} {}", session.id(), session.groupId(), why);
        }
    }

    /** Closes every session (their groups rebalance) and stops the expiry thread. */
    @Override
    public void close() {
        expiry.shutdownNow();
        for (ConsumerSession session : List.copyOf(sessions.values())) {
            remove(session, "closed at shutdown");
        }
    }
}
