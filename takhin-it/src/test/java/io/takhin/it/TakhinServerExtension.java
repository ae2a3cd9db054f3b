package io.takhin.it;

import io.takhin.backend.embedded.EmbeddedBackend;
import io.takhin.server.TakhinServer;
import io.takhin.storage.log.LogManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts one real server per test class (in-process, 127.0.0.1, port 0, fresh temporary data
 * directory) and closes it afterwards. Register as a static field with {@code @RegisterExtension}.
 * The backend is the one {@link TestBackend#current()} names; the same tests run against both.
 */
final class TakhinServerExtension implements BeforeAllCallback, AfterAllCallback {
    private final List<String> extraFlags;
    private @Nullable TakhinServer server;
    private @Nullable Path dataDir;
    private @Nullable HttpApi api;

    TakhinServerExtension(String... extraFlags) {
        this.extraFlags = List.of(extraFlags);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        dataDir = Files.createTempDirectory("takhin-it-");
        List<String> flags = new ArrayList<>(List.of("--data-dir=" + dataDir, "--api-addr=127.0.0.1:0"));
        if (TestBackend.current() == TestBackend.KAFKA) {
            TestBackend.emptyKafka();
            flags.add("--backend=kafka");
            flags.add("--kafka.bootstrap.servers=" + TestBackend.kafka().bootstrapServers());
        }
        flags.addAll(extraFlags);
        server = TakhinServer.start(flags);
        api = new HttpApi("http://127.0.0.1:" + server.port());
    }

    /** Every record the backend holds in one partition, read around the API. */
    List<StoredRecord> storedRecords(String topic, int partition) {
        if (TestBackend.current() == TestBackend.KAFKA) {
            return KafkaRecords.readAll(TestBackend.kafka().bootstrapServers(), topic, partition);
        }
        return StoredRecord.readAll(logs().topic(topic).orElseThrow().partition(partition));
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (server != null) {
            server.close();
        }
        if (dataDir != null) {
            deleteRecursively(dataDir);
        }
    }

    HttpApi api() {
        return require(api);
    }

    Path dataDir() {
        return require(dataDir);
    }

    /** The store behind the server, to check what the API wrote. */
    LogManager logs() {
        return ((EmbeddedBackend) require(server).backend()).logs();
    }

    private static <T> T require(@Nullable T value) {
        if (value == null) {
            throw new IllegalStateException("the server is not started; register the extension as a static field");
        }
        return value;
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
