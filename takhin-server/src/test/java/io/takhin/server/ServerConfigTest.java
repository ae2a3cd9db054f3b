package io.takhin.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerConfigTest {
    private static ServerConfig parse(String... flags) {
        return ServerConfig.from(ConfigValues.parse(List.of(flags)));
    }

    @Test
    void noFlags_seedQuickStartDefaults() {
        ServerConfig config = parse();

        assertThat(config.dataDir()).isEqualTo(Path.of("./data"));
        assertThat(config.http().host()).isEqualTo("127.0.0.1");
        assertThat(config.http().port()).isEqualTo(8080);
        assertThat(config.log().flushIntervalMs())
                .as("fsync before every acknowledgement")
                .isZero();
        assertThat(config.sessions().maxConsumers()).isEqualTo(10_000);
    }

    @Test
    void flags_bothSpellings_areRead() {
        ServerConfig config =
                parse("--data-dir", "/tmp/x", "--api-addr=0.0.0.0:9090", "--storage.segment-bytes=1_048_576");

        assertThat(config.dataDir()).isEqualTo(Path.of("/tmp/x"));
        assertThat(config.http().host()).isEqualTo("0.0.0.0");
        assertThat(config.http().port()).isEqualTo(9090);
        assertThat(config.log().segmentBytes()).isEqualTo(1_048_576);
    }

    @Test
    void configFile_isReadAndFlagsWin(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("takhin.properties");
        Files.writeString(file, "data-dir=/from/file\nconsumers.max=5\n");

        ServerConfig config = parse("--config", file.toString(), "--consumers.max=7");

        assertThat(config.dataDir()).isEqualTo(Path.of("/from/file"));
        assertThat(config.sessions().maxConsumers()).isEqualTo(7);
    }

    @Test
    void invalidValues_oneLineNamingKeyValueAndRange() {
        assertThatThrownBy(() -> parse("--consumers.max=0"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("invalid value '0' for consumers.max; allowed: 1..1000000");
        assertThatThrownBy(() -> parse("--api-addr=localhost"))
                .hasMessageContaining("api-addr")
                .hasMessageContaining("HOST:PORT");
        assertThatThrownBy(() -> parse("--api-addr=127.0.0.1:70000")).hasMessageContaining("api-addr");
        assertThatThrownBy(() -> parse("--storage.flush-interval-ms=soon"))
                .hasMessageContaining("storage.flush-interval-ms");
    }

    @Test
    void unknownOrIncompleteFlags_rejected() {
        assertThatThrownBy(() -> parse("--nope=1")).hasMessageContaining("unknown setting --nope");
        assertThatThrownBy(() -> parse("--data-dir")).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> parse("serve")).hasMessageContaining("unexpected argument");
        assertThatThrownBy(() -> parse("--backend=cassandra")).hasMessageContaining("backend");
    }

    @Test
    void kafkaBackend_passesEveryKafkaSettingOnWithoutItsPrefix() {
        ServerConfig config =
                parse("--backend=kafka", "--kafka.bootstrap.servers=127.0.0.1:9092", "--kafka.security.protocol=SSL");

        assertThat(config.kafka()).isNotNull();
        assertThat(config.kafka().clientProperties())
                .containsExactlyInAnyOrderEntriesOf(
                        java.util.Map.of("bootstrap.servers", "127.0.0.1:9092", "security.protocol", "SSL"));
    }

    @Test
    void kafkaSettings_refusedWithoutBootstrapServers_withTheEmbeddedBackend_andWhenNoClientKnowsThem() {
        assertThatThrownBy(() -> parse("--backend=kafka")).hasMessageContaining("kafka.bootstrap.servers");
        assertThatThrownBy(() -> parse("--kafka.bootstrap.servers=127.0.0.1:9092"))
                .hasMessageContaining("only for --backend=kafka");
        assertThatThrownBy(() -> parse("--backend=kafka", "--kafka.bootstrap.servers=h:1", "--kafka.lingr.ms=5"))
                .hasMessageContaining("kafka.lingr.ms");
        assertThat(parse().kafka()).isNull();
    }

    @Test
    void help_listsEverySetting() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Main.printHelp(new PrintStream(bytes, true, StandardCharsets.UTF_8));

        String help = bytes.toString(StandardCharsets.UTF_8);
        for (Setting setting : Settings.ALL) {
            assertThat(help).contains("--" + setting.key() + "=");
        }
    }
}
