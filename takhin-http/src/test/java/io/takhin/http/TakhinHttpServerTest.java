package io.takhin.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The real server on 127.0.0.1, port 0, in front of {@link StubBackend}: routing, limits, admission
 * and error bodies as a client sees them. Nothing here needs a store; produce and topics against
 * real backends are tested end to end in takhin-it.
 */
class TakhinHttpServerTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final long BODY_LIMIT = 1024;
    private static final long PRODUCE_LIMIT = 4096;

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    private TakhinHttpServer server;

    private static HttpConfig config(int maxConcurrentRequests) {
        return new HttpConfig(
                "127.0.0.1", 0, BODY_LIMIT, PRODUCE_LIMIT, 8 * 1024, 30_000, maxConcurrentRequests, 1024, 100);
    }

    private TakhinHttpServer start(StubBackend backend, int maxConcurrentRequests) {
        server = TakhinHttpServer.start(config(maxConcurrentRequests), backend, backend.sessions());
        return server;
    }

    private TakhinHttpServer start() {
        return start(new StubBackend(), 16);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        client.close();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return client.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    private HttpResponse<String> postJson(String path, String body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static JsonNode assertError(HttpResponse<String> response, int status, String code) throws IOException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        JsonNode body = MAPPER.readTree(response.body());
        assertThat(body.get("code").asText()).isEqualTo(code);
        assertThat(body.get("error").asText()).isNotBlank();
        return body;
    }

    @Test
    void health_answersOkWithBackendName_onAVirtualThread() throws Exception {
        AtomicBoolean virtual = new AtomicBoolean();
        start(
                new StubBackend(() -> {
                    virtual.set(Thread.currentThread().isVirtual());
                    return "stub";
                }),
                16);

        HttpResponse<String> response = get("/api/health");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(MAPPER.readTree(response.body()))
                .isEqualTo(MAPPER.readTree("{\"status\":\"ok\",\"backend\":\"stub\"}"));
        assertThat(virtual).as("handler ran on a virtual thread").isTrue();
    }

    @Test
    void unknownPath_answers404NotFound() throws Exception {
        start();

        assertError(get("/api/nothing"), 404, "not_found");
        assertError(get("/"), 404, "not_found");
    }

    @Test
    void wrongMethod_answers405WithAllowHeader() throws Exception {
        start();

        HttpResponse<String> response =
                send(HttpRequest.newBuilder(uri("/api/health")).DELETE());

        assertError(response, 405, "method_not_allowed");
        assertThat(response.headers().firstValue("Allow")).hasValue("GET");
    }

    @Test
    void unexpectedBackendFailure_answers500InternalWithoutDetails() throws Exception {
        start();

        HttpResponse<String> response = get("/api/topics");

        JsonNode body = assertError(response, 500, "internal");
        assertThat(body.get("error").asText()).isEqualTo(ErrorMapper.INTERNAL_SENTENCE);
        assertThat(response.body()).doesNotContain("Unsupported", "StubBackend", "at io.takhin");
    }

    @Test
    void badTopicNameInPath_answers400BeforeTheBackend() throws Exception {
        start();

        HttpResponse<String> response = get("/api/topics/bad%24name");

        assertError(response, 400, "invalid_argument");
        assertThat(response.body()).contains("illegal character");
    }

    @Test
    void nonJsonContentType_answers400Malformed() throws Exception {
        start();

        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/api/topics"))
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"t\",\"partitions\":1}")));

        assertError(response, 400, "malformed_request");
        assertThat(response.body()).contains("text/plain");
    }

    @Test
    void badJsonBody_answers400MalformedNamingThePlace() throws Exception {
        start();

        HttpResponse<String> response = postJson("/api/topics", "{\"name\": ");

        assertError(response, 400, "malformed_request");
    }

    @Test
    void declaredBodyAboveLimit_answers413BeforeTheBodyIsSent() throws Exception {
        start();
        // Only the headers are sent: if the server waited for the body, the read would time out.
        String response = rawExchange("POST /api/topics HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + (BODY_LIMIT + 1) + "\r\n\r\n");

        assertThat(response).startsWith("HTTP/1.1 413 ");
        assertThat(response).contains("payload_too_large");
    }

    @Test
    void chunkedBodyAboveLimit_answers413() throws Exception {
        start();
        byte[] body = new byte[(int) BODY_LIMIT * 4];
        // An InputStream publisher has no length, so the client sends the body chunked.
        HttpRequest.Builder request = HttpRequest.newBuilder(uri("/api/topics"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)));

        assertError(send(request), 413, "payload_too_large");
    }

    @Test
    void produceRoute_hasItsOwnLargerLimit() throws Exception {
        start();
        String between = "{\"records\": [" + " ".repeat((int) BODY_LIMIT * 2) + "]}";
        String above = "{\"records\": [" + " ".repeat((int) PRODUCE_LIMIT) + "]}";

        // Above the general limit but within the produce limit: parsed (and rejected for being empty).
        HttpResponse<String> parsed = postJson("/api/topics/orders/produce", between);
        assertError(parsed, 400, "invalid_argument");
        assertThat(parsed.body()).contains("records must not be empty");

        HttpResponse<String> refused = postJson("/api/topics/orders/produce", above);
        assertError(refused, 413, "payload_too_large");
        // The unread body makes Jetty close the connection; the client is told so it does not reuse it.
        assertThat(refused.headers().firstValue("connection")).hasValue("close");
        assertError(postJson("/api/topics", between), 413, "payload_too_large");
    }

    @Test
    void produce_unknownFormat_answers400NamingParameter() throws Exception {
        start();

        HttpResponse<String> response =
                postJson("/api/topics/orders/produce?value.format=avro", "{\"records\":[{\"value\":1}]}");

        assertError(response, 400, "invalid_argument");
        assertThat(response.body()).contains("value.format");
    }

    @Test
    void badQueryEncoding_answers400Malformed() throws Exception {
        start();
        // java.net.http refuses to send a malformed URI, so this goes over a plain socket.
        String body = "{\"records\":[{\"value\":1}]}";

        String response = rawExchange("POST /api/topics/orders/produce?value.format=%zz HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);

        assertThat(response).startsWith("HTTP/1.1 400 ");
        assertThat(response).contains("malformed_request", "query string");
    }

    @Test
    void headersAboveLimit_answerJsonError() throws Exception {
        start();

        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/api/health"))
                .header("X-Big", "x".repeat(16 * 1024))
                .GET());

        assertError(response, 431, "payload_too_large");
    }

    @Test
    void requestsAboveConcurrencyLimit_answer429WithRetryAfter() throws Exception {
        BlockingName name = new BlockingName();
        start(new StubBackend(name), 1);
        name.armed.set(true);
        CompletableFuture<HttpResponse<String>> first = client.sendAsync(
                HttpRequest.newBuilder(uri("/api/health")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(name.entered.await(10, TimeUnit.SECONDS)).isTrue();

        HttpResponse<String> second = get("/api/health");
        name.release.countDown();

        assertError(second, 429, "too_many_requests");
        assertThat(second.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(first.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        // The permit is back once the first response is written.
        assertThat(get("/api/health").statusCode()).isEqualTo(200);
    }

    @Test
    void draining_answers503ShuttingDownToNewRequests() throws Exception {
        BlockingName name = new BlockingName();
        start(new StubBackend(name), 16);
        name.armed.set(true);
        CompletableFuture<HttpResponse<String>> inFlight = client.sendAsync(
                HttpRequest.newBuilder(uri("/api/health")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(name.entered.await(10, TimeUnit.SECONDS)).isTrue();

        // Start the drain without waiting: the request in flight holds a permit.
        assertThat(server.handler().drain(0)).isFalse();
        HttpResponse<String> late = get("/api/health");
        name.release.countDown();

        assertError(late, 503, "shutting_down");
        assertThat(inFlight.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }

    @Test
    void openApi_isServedAsYaml() throws Exception {
        start();
        byte[] expected;
        try (InputStream in = getClass().getResourceAsStream("/io/takhin/http/openapi.yaml")) {
            expected = in.readAllBytes();
        }

        HttpResponse<String> response = get("/api/openapi.yaml");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/yaml"));
        assertThat(response.body()).isEqualTo(new String(expected, StandardCharsets.UTF_8));
    }

    @Test
    void docs_servePageAndWebjarAssets() throws Exception {
        start();

        HttpResponse<String> page = get("/api/docs");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("docs/swagger-ui-bundle.js", "openapi.yaml");

        HttpResponse<String> script = get("/api/docs/swagger-ui-bundle.js");
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("text/javascript"));
        assertThat(script.body()).contains("SwaggerUIBundle");

        assertError(get("/api/docs/index.html"), 404, "not_found");
        assertError(get("/api/docs/..%2F..%2Fopenapi.yaml"), 400, "malformed_request");
    }

    @Test
    void close_isIdempotentAndFreesThePort() throws Exception {
        start();
        int port = server.port();

        server.close();
        server.close();

        try (var socket = new java.net.ServerSocket(port, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            assertThat(socket.getLocalPort()).isEqualTo(port);
        }
    }

    /** Writes {@code request} as is on a new connection and reads the response up to its JSON body's end. */
    private String rawExchange(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder response = new StringBuilder();
            byte[] buffer = new byte[4096];
            int read;
            while (response.indexOf("}") < 0 && (read = in.read(buffer)) > 0) {
                response.append(new String(buffer, 0, read, StandardCharsets.UTF_8));
            }
            return response.toString();
        }
    }

    /**
     * A backend name that, once armed, blocks the next caller until released, so a test can hold a
     * request in flight. Armed after start, because start itself logs the backend's name.
     */
    private static final class BlockingName implements Supplier<String> {
        final AtomicBoolean armed = new AtomicBoolean();
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public String get() {
            if (armed.compareAndSet(true, false)) {
                entered.countDown();
                try {
                    if (!release.await(30, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("test latch was never released");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            return "stub";
        }
    }
}
