package io.takhin.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HttpConfigTest {
    @Test
    void defaults_matchTheDocumentedValues() {
        HttpConfig config = HttpConfig.defaults();

        assertThat(config.port()).isEqualTo(8080);
        assertThat(config.maxRequestBodyBytes()).isEqualTo(1024 * 1024);
        assertThat(config.maxProduceBodyBytes()).isEqualTo(64L * 1024 * 1024);
        assertThat(config.maxRequestHeaderBytes()).isEqualTo(8 * 1024);
        // Above the longest long poll (300 s), so the connector never cuts a waiting consume.
        assertThat(config.idleTimeoutMs()).isGreaterThan(300_000);
        assertThat(config.acceptQueueSize()).isGreaterThanOrEqualTo(1024);
    }

    @Test
    void constructor_outOfRangeValue_namesTheField() {
        HttpConfig d = HttpConfig.defaults();

        assertThatThrownBy(() -> new HttpConfig(
                        d.host(),
                        70_000,
                        d.maxRequestBodyBytes(),
                        d.maxProduceBodyBytes(),
                        d.maxRequestHeaderBytes(),
                        d.idleTimeoutMs(),
                        d.maxConcurrentRequests(),
                        d.acceptQueueSize(),
                        d.maxPartitionsPerTopic()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("port must be between 0 and 65535, got 70000");
        assertThatThrownBy(() -> new HttpConfig(
                        d.host(),
                        d.port(),
                        d.maxRequestBodyBytes(),
                        0,
                        d.maxRequestHeaderBytes(),
                        d.idleTimeoutMs(),
                        d.maxConcurrentRequests(),
                        d.acceptQueueSize(),
                        d.maxPartitionsPerTopic()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("maxProduceBodyBytes must be between 1 and");
        assertThatThrownBy(() -> new HttpConfig(
                        " ",
                        d.port(),
                        d.maxRequestBodyBytes(),
                        d.maxProduceBodyBytes(),
                        d.maxRequestHeaderBytes(),
                        d.idleTimeoutMs(),
                        d.maxConcurrentRequests(),
                        d.acceptQueueSize(),
                        d.maxPartitionsPerTopic()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("host must not be blank");
        assertThatThrownBy(() -> new HttpConfig(
                        d.host(),
                        d.port(),
                        d.maxRequestBodyBytes(),
                        d.maxProduceBodyBytes(),
                        d.maxRequestHeaderBytes(),
                        d.idleTimeoutMs(),
                        0,
                        d.acceptQueueSize(),
                        d.maxPartitionsPerTopic()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("maxConcurrentRequests");
    }

    @Test
    void withAddress_changesOnlyHostAndPort() {
        HttpConfig config = HttpConfig.defaults().withAddress("127.0.0.1", 0);

        assertThat(config.host()).isEqualTo("127.0.0.1");
        assertThat(config.port()).isZero();
        assertThat(config.maxProduceBodyBytes()).isEqualTo(HttpConfig.defaults().maxProduceBodyBytes());
    }
}
