package io.takhin.server;

import io.takhin.backend.Backend;
import io.takhin.backend.embedded.EmbeddedBackend;
import io.takhin.backend.kafka.KafkaBackend;
import io.takhin.backend.kafka.KafkaBackendConfig;
import io.takhin.common.Time;
import io.takhin.http.TakhinHttpServer;
import io.takhin.session.ConsumerSessions;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A started server: the backend and the HTTP server over it. Thread-safe; {@link #close()} is
 * idempotent. Tests start it in-process with the same flags as the command line.
 */
public final class TakhinServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TakhinServer.class);

    /**
     * Starts a server configured by command-line style flags ({@code --data-dir=DIR}, ...).
     *
     * @throws IllegalArgumentException if the configuration is invalid (the message names the key)
     */
    public static TakhinServer start(List<String> flags) {
        return start(ServerConfig.from(ConfigValues.parse(flags)));
    }

    private final Backend backend;
    private final ConsumerSessions sessions;
    private final TakhinHttpServer http;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final AtomicBoolean closing = new AtomicBoolean();

    private TakhinServer(Backend backend, ConsumerSessions sessions, TakhinHttpServer http) {
        this.backend = backend;
        this.sessions = sessions;
        this.http = http;
    }

    static TakhinServer start(ServerConfig config) {
        long startNanos = System.nanoTime();
        Backend backend = openBackend(config);
        ConsumerSessions sessions = new ConsumerSessions(backend.consumers(), config.sessions(), Time.SYSTEM);
        TakhinHttpServer http;
        try {
            http = TakhinHttpServer.start(config.http(), backend, sessions);
        } catch (RuntimeException e) {
            sessions.close();
            backend.close();
            throw e;
        }
        log.info(
                "Takhin listening on http://{}:{} (backend {}, started in {} ms; API docs at /api/docs)",
                config.http().host(),
                http.port(),
                backend.name(),
                (System.nanoTime() - startNanos) / 1_000_000);
        return new TakhinServer(backend, sessions, http);
    }

    private static Backend openBackend(ServerConfig config) {
        KafkaBackendConfig kafka = config.kafka();
        if (kafka != null) {
            try {
                return KafkaBackend.connect(kafka);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(e.getMessage());
            }
        }
        log.info("Opening the embedded store in {}", config.dataDir().toAbsolutePath());
        return EmbeddedBackend.open(config.dataDir(), config.log(), Time.SYSTEM);
    }

    /** The bound HTTP port (useful with port 0). */
    public int port() {
        return http.port();
    }

    /** The backend behind the API, for in-process tests and tools. */
    public Backend backend() {
        return backend;
    }

    public void awaitStop() {
        try {
            closed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        try {
            http.close();
            sessions.close();
        } finally {
            backend.close();
            closed.countDown();
            log.info("Takhin stopped");
        }
    }
}
