package io.takhin.http;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.io.AbstractEndPoint;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Callback;
import org.jspecify.annotations.Nullable;

/**
 * Notices that the client of a parked HTTP/1.1 long poll may have gone away (H7).
 *
 * <p>While a request is being handled, Jetty's HTTP/1.1 connection keeps no read interest on its
 * socket (jetty/jetty.project#238), so a client that closes cleanly (FIN) goes unnoticed, and the
 * first write to the half-closed socket succeeds: the records would count as delivered. This watch
 * registers read interest on the endpoint for the time the poll is parked. It never reads: bytes
 * arriving then are either the end of the stream (the client left) or a pipelined next request,
 * which must stay for Jetty's parser. Both end the poll early with no records, which is what the
 * client sees if it is still there; nothing is consumed, so nothing is lost.
 *
 * <p>{@link #cancel()} must run before the response is written: once the exchange completes, Jetty
 * registers its own read interest and an endpoint takes one at a time. Other transports (HTTP/2,
 * where the connection always reads) get a watch that does nothing.
 */
final class ClientGoneWatch {
    /** Watches nothing; for requests that need no watch. */
    static final ClientGoneWatch NONE = new ClientGoneWatch(null);
    /** The cause given to our own callback when the watch is cancelled; no stack trace needed. */
    private static final Throwable CANCELLED = new Throwable("watch cancelled", null, false, false) {};

    private final @Nullable AbstractEndPoint endPoint;
    private final AtomicBoolean over = new AtomicBoolean();

    private ClientGoneWatch(@Nullable AbstractEndPoint endPoint) {
        this.endPoint = endPoint;
    }

    /**
     * Starts watching the request's connection; {@code onGone} runs (once, on a Jetty thread) if the
     * socket becomes readable, fails or times out before {@link #cancel()}.
     */
    static ClientGoneWatch start(Request request, Runnable onGone) {
        Connection connection = request.getConnectionMetaData().getConnection();
        if (!(connection instanceof org.eclipse.jetty.server.internal.HttpConnection)
                || !(connection.getEndPoint() instanceof AbstractEndPoint endPoint)) {
            return NONE;
        }
        ClientGoneWatch watch = new ClientGoneWatch(endPoint);
        // False when someone already reads (the parser, for a request still sending its body).
        return endPoint.tryFillInterested(watch.readable(onGone, true)) ? watch : NONE;
    }

    /**
     * The read-interest callback. A first "readable" is confirmed by asking again: bytes or an end
     * of stream that are really there (nothing reads them) report again at once, while a readiness
     * the selector saw before this request took the connection does not.
     */
    private Callback readable(Runnable onGone, boolean confirm) {
        return new Callback() {
            @Override
            public void succeeded() {
                if (!confirm) {
                    fire(onGone);
                    return;
                }
                boolean askedAgain;
                synchronized (ClientGoneWatch.this) {
                    // Under the lock, so cancel() cannot run between the check and the registration
                    // and leave a callback of ours registered after the response (H7).
                    askedAgain = over.get() || requireNonNull(endPoint).tryFillInterested(readable(onGone, false));
                }
                if (!askedAgain) {
                    fire(onGone); // cannot ask again: treat as gone, the safe side
                }
            }

            @Override
            public void failed(Throwable cause) {
                if (cause != CANCELLED) {
                    fire(onGone);
                }
            }
        };
    }

    private void fire(Runnable onGone) {
        if (over.compareAndSet(false, true)) {
            onGone.run();
        }
    }

    /** Withdraws the read interest if it has not fired; idempotent. */
    synchronized void cancel() {
        if (endPoint != null && over.compareAndSet(false, true)) {
            // Only our callback can be registered: Jetty registers its own after the exchange ends.
            endPoint.getFillInterest().onFail(CANCELLED);
        }
    }
}
