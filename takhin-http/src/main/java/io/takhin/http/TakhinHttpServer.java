package io.takhin.http;

import io.takhin.backend.Backend;
import io.takhin.session.ConsumerSessions;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Takhin HTTP API on Jetty 12: routes, JSON, limits and error mapping in front of a {@link
 * Backend}. {@link #start} binds and returns once the server is listening; {@link #close} stops it.
 * Thread-safe. The backend stays owned by the caller: closing the server does not close it.
 */
public final class TakhinHttpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TakhinHttpServer.class);

    /** How long {@link #close} waits for requests in flight before stopping the connector anyway. */
    static final long DRAIN_TIMEOUT_MS = 5_000;

    private final Server server;
    private final TakhinHandler handler;
    private final ExecutorService virtualThreads;
    private final int port;
    private boolean closed;

    private TakhinHttpServer(Server server, TakhinHandler handler, ExecutorService virtualThreads, int port) {
        this.server = server;
        this.handler = handler;
        this.virtualThreads = virtualThreads;
        this.port = port;
    }

    /**
     * Binds {@code config.host():config.port()} and starts serving {@code backend} and the consumer
     * {@code sessions} (which the caller owns and closes after this server). Request handlers run on virtual
     * threads; Jetty's selectors and acceptors on a small pool of platform threads.
     *
     * @throws IllegalStateException if the server cannot start (for example, the port is taken)
     */
    public static TakhinHttpServer start(HttpConfig config, Backend backend, ConsumerSessions sessions) {
        ExecutorService virtualThreads = virtualThreads();
        QueuedThreadPool pool = new QueuedThreadPool();
        pool.setName("takhin-http");
        pool.setVirtualThreadsExecutor(virtualThreads);
        Server server = new Server(pool);
        HttpConfiguration http = new HttpConfiguration();
        http.setRequestHeaderSize(config.maxRequestHeaderBytes());
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(config.host());
        connector.setPort(config.port());
        connector.setIdleTimeout(config.idleTimeoutMs());
        connector.setAcceptQueueSize(config.acceptQueueSize());
        server.addConnector(connector);

        // H8: a backend that prepares fetches before their polls has them encoded then too.
        backend.consumers().prepareWith(new EncodeAhead(EncodeAhead.DEFAULT_BUDGET_BYTES));
        TakhinHandler handler =
                new TakhinHandler(Routes.router(backend, sessions, config), config.maxConcurrentRequests());
        server.setHandler(handler);
        server.setErrorHandler(new JsonErrorHandler());
        // close() drains requests itself (H4) before stopping Jetty, so Jetty's own graceful phase would
        // only wait (about a second) for idle keep-alive connections that nothing will use again.
        server.setStopTimeout(0);
        try {
            server.start();
        } catch (Exception e) {
            stopQuietly(server);
            virtualThreads.shutdown();
            throw new IllegalStateException(
                    "HTTP server could not listen on " + config.host() + ":" + config.port() + ": " + e.getMessage(),
                    e);
        }
        int port = connector.getLocalPort();
        return new TakhinHttpServer(server, handler, virtualThreads, port);
    }

    /** The request handler; for tests of admission and shutdown. */
    TakhinHandler handler() {
        return handler;
    }

    /** The bound port; the chosen one when the config asked for port 0. */
    public int port() {
        return port;
    }

    /**
     * Stops accepting requests (late ones get 503 {@code shutting_down}), waits up to
     * {@value #DRAIN_TIMEOUT_MS} ms for those in flight, then stops Jetty. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (!handler.drain(DRAIN_TIMEOUT_MS)) {
                LOG.warn(
                        "HTTP server stopping with {} requests still in flight after {} ms",
                        handler.inFlight(),
                        DRAIN_TIMEOUT_MS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stopQuietly(server);
        virtualThreads.shutdown();
        LOG.info("HTTP API on port {} stopped", port);
    }

    /**
     * Jetty's pool runs selectors, acceptors and non-blocking work on platform threads and hands every
     * blocking task (our handler) to this executor: one new, named virtual thread per task.
     */
    private static ExecutorService virtualThreads() {
        return Executors.newThreadPerTaskExecutor(Thread.ofVirtual()
                .name("takhin-http-request-", 0)
                .uncaughtExceptionHandler(
                        (thread, failure) -> LOG.error("uncaught exception on {}", thread.getName(), failure))
                .factory());
    }

    private static void stopQuietly(Server server) {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("HTTP server did not stop cleanly", e);
        }
    }
}
