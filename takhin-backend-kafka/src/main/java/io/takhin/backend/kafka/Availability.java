package io.takhin.backend.kafka;

import io.takhin.backend.Backend;
import io.takhin.common.ErrorCode;
import io.takhin.common.Failures;
import io.takhin.common.TakhinException;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Node;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the cluster answers, probed every {@link #PROBE_INTERVAL_MS} by one daemon thread (K5).
 * Requests that need the cluster fail fast with {@code backend_unavailable} while it does not, and
 * the server recovers by itself when the next probe succeeds. Only changes are logged, one line
 * each. Thread-safe: the state is one volatile reference.
 */
final class Availability implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Availability.class);
    static final long PROBE_INTERVAL_MS = 2_000;
    private static final int PROBE_TIMEOUT_MS = 3_000;

    private final Admin admin;
    private final String cluster;
    private final Thread prober;
    private volatile Backend.Status status = Backend.Status.AVAILABLE;
    private volatile boolean closed;

    /** Probes once (so startup knows and says where it stands), then keeps probing in the background. */
    Availability(Admin admin, String cluster) {
        this.admin = admin;
        this.cluster = cluster;
        probe(true);
        this.prober =
                Thread.ofPlatform().name("takhin-kafka-availability").daemon().start(this::run);
    }

    Backend.Status status() {
        return status;
    }

    /** Throws {@code backend_unavailable} if the last probe failed. */
    void require(String what) {
        Backend.Status current = status;
        if (!current.available()) {
            throw new TakhinException(
                    ErrorCode.BACKEND_UNAVAILABLE, current.detail() + " (while " + what + "); retry later");
        }
    }

    private void run() {
        while (!closed) {
            try {
                Thread.sleep(PROBE_INTERVAL_MS);
            } catch (InterruptedException e) {
                return;
            }
            probe(false);
        }
    }

    private void probe(boolean first) {
        Backend.Status before = status;
        Backend.Status now;
        int brokers = 0;
        try {
            Collection<Node> nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs(PROBE_TIMEOUT_MS))
                    .nodes()
                    .get(PROBE_TIMEOUT_MS + 1_000L, TimeUnit.MILLISECONDS);
            brokers = nodes.size();
            now = Backend.Status.AVAILABLE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (Exception e) {
            if (closed) {
                return;
            }
            Throwable cause = Failures.unwrap(e);
            now = new Backend.Status(
                    false,
                    "the Kafka cluster at " + cluster + " does not answer: "
                            + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage()));
        }
        status = now;
        if (now.available() && (first || !before.available())) {
            log.info("Kafka cluster at {} is reachable ({} brokers)", cluster, brokers);
        } else if (!now.available() && (first || before.available())) {
            log.warn("{}; answering 503 backend_unavailable and retrying every {} ms", now.detail(), PROBE_INTERVAL_MS);
        }
    }

    @Override
    public void close() {
        closed = true;
        prober.interrupt();
    }
}
