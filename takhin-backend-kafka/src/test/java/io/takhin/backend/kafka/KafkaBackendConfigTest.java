package io.takhin.backend.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class KafkaBackendConfigTest {
    private static final String SERVERS = "127.0.0.1:9092";
    private static final MemberContext MEMBER = new MemberContext(new TopicDirectory());

    @Test
    void missingBootstrapServers_isRefusedNamingTheSetting() {
        assertThatThrownBy(() -> new KafkaBackendConfig(Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("kafka.bootstrap.servers");
    }

    @Test
    void aKeyNoKafkaClientKnows_isRefusedWithItsPrefixedName() {
        assertThatThrownBy(() -> new KafkaBackendConfig(Map.of("bootstrap.servers", SERVERS, "acks.typo", "all")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("kafka.acks.typo");
    }

    @Test
    void producer_isIdempotentWithAcksAllByDefault_andTheUserMayOverrideADefault() {
        Properties defaults = new KafkaBackendConfig(Map.of("bootstrap.servers", SERVERS)).producer();
        Properties tuned = new KafkaBackendConfig(Map.of("bootstrap.servers", SERVERS, "linger.ms", "5")).producer();

        assertThat(defaults).containsEntry("acks", "all").containsEntry("enable.idempotence", "true");
        assertThat(defaults).containsEntry("linger.ms", "0");
        assertThat(tuned).containsEntry("linger.ms", "5").containsEntry("bootstrap.servers", SERVERS);
    }

    @Test
    void consumer_alwaysHasTheGroupTheHttpIdAndNoAutoCommit_whateverTheUserSays() {
        Properties consumer = new KafkaBackendConfig(
                        Map.of("bootstrap.servers", SERVERS, "enable.auto.commit", "true", "group.id", "theirs"))
                .consumer("orders-group", "c0ffee", "earliest", MEMBER);

        assertThat(consumer)
                .containsEntry("group.id", "orders-group")
                .containsEntry("client.id", "c0ffee")
                .containsEntry("enable.auto.commit", "false")
                .containsEntry("auto.offset.reset", "earliest")
                .containsEntry("partition.assignment.strategy", TakhinAssignor.class.getName())
                .containsEntry(TakhinAssignor.CONTEXT_CONFIG, MEMBER);
    }

    @Test
    void aSettingOfOneKindOfClient_isNotPassedToTheOthers() {
        KafkaBackendConfig config =
                new KafkaBackendConfig(Map.of("bootstrap.servers", SERVERS, "max.poll.records", "7"));

        assertThat(config.consumer("g", "c", "latest", MEMBER)).containsEntry("max.poll.records", "7");
        assertThat(config.producer()).doesNotContainKey("max.poll.records");
        assertThat(config.admin()).doesNotContainKey("max.poll.records");
    }

    @Test
    void securitySettings_reachEveryClient() {
        KafkaBackendConfig config =
                new KafkaBackendConfig(Map.of("bootstrap.servers", SERVERS, "security.protocol", "SASL_SSL"));

        assertThat(config.admin()).containsEntry("security.protocol", "SASL_SSL");
        assertThat(config.producer()).containsEntry("security.protocol", "SASL_SSL");
        assertThat(config.consumer("g", "c", "latest", MEMBER)).containsEntry("security.protocol", "SASL_SSL");
    }
}
