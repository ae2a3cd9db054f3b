package io.takhin.http;

import io.takhin.common.ErrorCode;
import io.takhin.common.TakhinException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The Jetty handler in front of the router: admission (concurrency limit, shutdown), the body limit
 * check from Content-Length, dispatch, and writing the {@link Reply}. A blocking handler (Jetty's
 * default invocation type), so Jetty calls it on a virtual thread.
 *
 * <p>Thread-safe: the permits are a {@link Semaphore}, the shutdown flag is volatile; each request's
 * state lives in its own {@link Call}.
 */
final class TakhinHandler extends Handler.Abstract {
    private final Router router;
    private final int maxConcurrentRequests;
    /** One permit per request in flight, taken on arrival and given back once its response is written. */
    private final Semaphore permits;

    private volatile boolean closing;

    TakhinHandler(Router router, int maxConcurrentRequests) {
        this.router = router;
        this.maxConcurrentRequests = maxConcurrentRequests;
        this.permits = new Semaphore(maxConcurrentRequests);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        if (closing) {
            send(
                    response,
                    callback,
                    ErrorMapper.toReply(new TakhinException(ErrorCode.SHUTTING_DOWN, "the server is shutting down")));
            return true;
        }
        if (!permits.tryAcquire()) {
            send(
                    response,
                    callback,
                    ErrorMapper.toReply(new TakhinException(
                            ErrorCode.TOO_MANY_REQUESTS,
                            "the server is handling its limit of " + maxConcurrentRequests
                                    + " concurrent requests; retry later")));
            return true;
        }
        ReleasingCallback releasing = new ReleasingCallback(callback, permits);
        CompletionStage<Reply> reply;
        try {
            reply = dispatch(request, releasing);
        } catch (Throwable failure) {
            reply = CompletableFuture.completedFuture(ErrorMapper.toReply(failure));
        }
        reply.whenComplete((done, failure) -> {
            try {
                send(response, releasing, failure == null ? done : ErrorMapper.toReply(failure));
            } catch (Throwable sendFailure) {
                // Never leave the exchange open: that would leak the permit and hang the client.
                releasing.failed(sendFailure);
            }
        });
        return true;
    }

    private CompletionStage<Reply> dispatch(Request request, ReleasingCallback releasing) {
        String method = request.getMethod();
        String path = Request.getPathInContext(request);
        return switch (router.match(method, path)) {
            case Router.Match.Found found -> {
                // H3: refuse an oversized body before reading any of it, on every route.
                BodyReader.checkDeclaredLength(
                        request.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH),
                        found.route().maxBodyBytes());
                CompletionStage<Reply> reply =
                        found.route().endpoint().handle(new Call(request, found.route(), found.pathParams()));
                if (found.route().longPoll()) {
                    // H6: a parked long poll costs a few KB, not a thread; the consumer limit bounds
                    // them, so it gives its concurrency permit back as soon as it parks.
                    releasing.release();
                }
                yield reply;
            }
            case Router.Match.NotFound ignored ->
                throw new TakhinException(ErrorCode.NOT_FOUND, "no route for " + method + " " + path);
            case Router.Match.MethodNotAllowed notAllowed ->
                throw new MethodNotAllowedException(method, path, notAllowed.allowed());
        };
    }

    /**
     * Stops admitting requests (new ones get 503 {@code shutting_down}) and waits up to
     * {@code timeoutMs} for those in flight to finish. Returns whether they all did.
     */
    boolean drain(long timeoutMs) throws InterruptedException {
        closing = true;
        if (permits.tryAcquire(maxConcurrentRequests, timeoutMs, TimeUnit.MILLISECONDS)) {
            permits.release(maxConcurrentRequests);
            return true;
        }
        return false;
    }

    /** Requests in flight now; for tests and shutdown logging. */
    int inFlight() {
        return maxConcurrentRequests - permits.availablePermits();
    }

    static void send(Response response, Callback callback, Reply reply) {
        response.setStatus(reply.status());
        HttpFields.Mutable headers = response.getHeaders();
        headers.put(HttpHeader.CONTENT_TYPE, reply.contentType());
        for (Map.Entry<String, String> header : reply.headers().entrySet()) {
            headers.put(header.getKey(), header.getValue());
        }
        headers.put(HttpHeader.CONTENT_LENGTH, (long) reply.length());
        if (reply.status() == 413) {
            // The body was refused unread: say the connection closes, so no client sends its next
            // request on a connection Jetty is about to close (it cannot skip an unread body).
            headers.put(HttpHeader.CONNECTION, "close");
        }
        Callback delivering =
                reply.delivery() == Reply.Delivery.NONE ? callback : new DeliveringCallback(callback, reply.delivery());
        response.write(true, ByteBuffer.wrap(reply.body(), 0, reply.length()), delivering);
    }

    /** Tells the reply whether its bytes were written, then completes the exchange. */
    private record DeliveringCallback(Callback delegate, Reply.Delivery delivery) implements Callback {
        @Override
        public void succeeded() {
            try {
                delivery.done(true);
            } finally {
                delegate.succeeded();
            }
        }

        @Override
        public void failed(Throwable failure) {
            try {
                delivery.done(false);
            } finally {
                delegate.failed(failure);
            }
        }

        @Override
        public InvocationType getInvocationType() {
            return delegate.getInvocationType();
        }
    }

    /** Gives the request's permit back exactly once, before Jetty may reuse the connection. */
    private static final class ReleasingCallback implements Callback {
        private final Callback delegate;
        private final Semaphore permits;
        private final AtomicBoolean released = new AtomicBoolean();

        ReleasingCallback(Callback delegate, Semaphore permits) {
            this.delegate = delegate;
            this.permits = permits;
        }

        @Override
        public void succeeded() {
            release();
            delegate.succeeded();
        }

        @Override
        public void failed(Throwable failure) {
            release();
            delegate.failed(failure);
        }

        @Override
        public InvocationType getInvocationType() {
            return delegate.getInvocationType();
        }

        void release() {
            if (released.compareAndSet(false, true)) {
                permits.release();
            }
        }
    }
}
