package io.takhin.backend.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.takhin.backend.ProduceRecord;
import io.takhin.common.ErrorCode;
import io.takhin.common.TakhinException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A backend whose cluster does not answer: it starts anyway, says why in its status, and answers
 * backend_unavailable at once instead of waiting out Kafka's timeouts. Uses a port nothing listens
 * on (bound then released), so the refusal is real.
 */
class UnreachableClusterTest {
    @Test
    void connect_withNoBrokerListening_startsAndReportsTheClusterUnavailable() throws IOException {
        String servers = "127.0.0.1:" + freePort();
        try (KafkaBackend backend =
                KafkaBackend.connect(new KafkaBackendConfig(Map.of("bootstrap.servers", servers)))) {
            assertThat(backend.status().available()).isFalse();
            assertThat(backend.status().detail()).contains(servers);

            long start = System.nanoTime();
            assertThatThrownBy(() -> backend.producer()
                            .produce("orders", List.of(new ProduceRecord(null, new byte[] {1}, List.of(), -1))))
                    .isInstanceOfSatisfying(
                            TakhinException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BACKEND_UNAVAILABLE))
                    .hasMessageContaining(servers);
            assertThatThrownBy(() -> backend.topics().list())
                    .isInstanceOfSatisfying(
                            TakhinException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BACKEND_UNAVAILABLE));
            assertThat((System.nanoTime() - start) / 1_000_000)
                    .as("failing fast, ms")
                    .isLessThan(1_000);
        }
    }

    @Test
    void connect_withAnUnresolvableBootstrapHost_isRefusedAsASettingsError() {
        assertThatThrownBy(() -> KafkaBackend.connect(
                        new KafkaBackendConfig(Map.of("bootstrap.servers", "no-such-host.invalid:9092"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("kafka");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
