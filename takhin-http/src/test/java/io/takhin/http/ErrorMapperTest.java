package io.takhin.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.takhin.common.ErrorCode;
import io.takhin.common.StorageException;
import io.takhin.common.TakhinException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.eclipse.jetty.http.HttpException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ErrorMapperTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** The documented status of every code; a new ErrorCode fails this test until it is added here. */
    private static final Map<ErrorCode, Integer> DOCUMENTED = Map.ofEntries(
            Map.entry(ErrorCode.INVALID_ARGUMENT, 400),
            Map.entry(ErrorCode.MALFORMED_REQUEST, 400),
            Map.entry(ErrorCode.TOPIC_NOT_FOUND, 404),
            Map.entry(ErrorCode.PARTITION_NOT_FOUND, 404),
            Map.entry(ErrorCode.NOT_FOUND, 404),
            Map.entry(ErrorCode.CONSUMER_NOT_FOUND, 404),
            Map.entry(ErrorCode.GROUP_NOT_FOUND, 404),
            Map.entry(ErrorCode.METHOD_NOT_ALLOWED, 405),
            Map.entry(ErrorCode.TOPIC_ALREADY_EXISTS, 409),
            Map.entry(ErrorCode.PARTITION_NOT_OWNED, 409),
            Map.entry(ErrorCode.POLL_IN_PROGRESS, 409),
            Map.entry(ErrorCode.PAYLOAD_TOO_LARGE, 413),
            Map.entry(ErrorCode.TOO_MANY_REQUESTS, 429),
            Map.entry(ErrorCode.INTERNAL, 500),
            Map.entry(ErrorCode.STORAGE_UNAVAILABLE, 503),
            Map.entry(ErrorCode.BACKEND_UNAVAILABLE, 503),
            Map.entry(ErrorCode.SHUTTING_DOWN, 503));

    private static JsonNode body(Reply reply) throws IOException {
        assertThat(reply.contentType()).isEqualTo("application/json");
        JsonNode body = MAPPER.readTree(reply.body());
        assertThat(body.properties()).hasSize(2);
        return body;
    }

    @ParameterizedTest
    @EnumSource(ErrorCode.class)
    void status_everyCode_isTheDocumentedStatus(ErrorCode code) {
        assertThat(ErrorMapper.status(code)).isEqualTo(DOCUMENTED.get(code));
    }

    @ParameterizedTest
    @EnumSource(value = ErrorCode.class, mode = EnumSource.Mode.EXCLUDE, names = "INTERNAL")
    void toReply_takhinException_hasStatusCodeAndSentence(ErrorCode code) throws IOException {
        Reply reply = ErrorMapper.toReply(new TakhinException(code, "partition orders-3 is not owned"));

        assertThat(reply.status()).isEqualTo(DOCUMENTED.get(code));
        JsonNode body = body(reply);
        assertThat(body.get("error").asText()).isEqualTo("partition orders-3 is not owned");
        assertThat(body.get("code").asText()).isEqualTo(code.wire());
    }

    @Test
    void toReply_unexpectedException_is500InternalWithoutDetails() throws IOException {
        var bug = new IllegalStateException("index entry out of order at /var/data/secret");

        Reply reply = ErrorMapper.toReply(bug);

        assertThat(reply.status()).isEqualTo(500);
        JsonNode body = body(reply);
        assertThat(body.get("code").asText()).isEqualTo("internal");
        assertThat(body.get("error").asText()).isEqualTo(ErrorMapper.INTERNAL_SENTENCE);
        String raw = new String(reply.body(), StandardCharsets.UTF_8);
        assertThat(raw).doesNotContain("IllegalStateException", "secret", "at io.takhin", "ErrorMapperTest");
    }

    @Test
    void toReply_takhinExceptionWithInternalCode_hidesItsMessage() throws IOException {
        Reply reply = ErrorMapper.toReply(new TakhinException(ErrorCode.INTERNAL, "details for the log only"));

        assertThat(reply.status()).isEqualTo(500);
        assertThat(body(reply).get("error").asText()).isEqualTo(ErrorMapper.INTERNAL_SENTENCE);
    }

    @Test
    void toReply_statusNeverDependsOnMessage() {
        // A message that reads like another error must not change the status.
        Reply reply = ErrorMapper.toReply(new TakhinException(ErrorCode.INVALID_ARGUMENT, "topic not found (404)"));

        assertThat(reply.status()).isEqualTo(400);
    }

    @Test
    void toReply_wrappedInFutureExceptions_usesTheCause() throws IOException {
        var cause = new StorageException("disk under orders-0 failed");

        Reply reply = ErrorMapper.toReply(new CompletionException(new ExecutionException(cause)));

        assertThat(reply.status()).isEqualTo(503);
        assertThat(body(reply).get("code").asText()).isEqualTo("storage_unavailable");
    }

    @Test
    void toReply_methodNotAllowed_setsAllowHeader() {
        Reply reply =
                ErrorMapper.toReply(new MethodNotAllowedException("PATCH", "/api/topics/x", Set.of("GET", "DELETE")));

        assertThat(reply.status()).isEqualTo(405);
        assertThat(reply.headers()).containsEntry("Allow", "DELETE, GET");
    }

    @Test
    void toReply_tooManyRequests_setsRetryAfter() {
        Reply reply = ErrorMapper.toReply(new TakhinException(ErrorCode.TOO_MANY_REQUESTS, "busy"));

        assertThat(reply.headers()).containsEntry("Retry-After", "1");
    }

    @Test
    void toReply_untranslatedJsonSyntaxError_is400Malformed() throws IOException {
        StreamReadException syntaxError;
        try (JsonParser parser = Json.FACTORY.createParser("{\"a\": }".getBytes(StandardCharsets.UTF_8))) {
            parser.nextToken();
            parser.nextToken();
            parser.nextToken();
            throw new AssertionError("the parser accepted bad JSON");
        } catch (StreamReadException e) {
            syntaxError = e;
        }

        Reply reply = ErrorMapper.toReply(syntaxError);

        assertThat(reply.status()).isEqualTo(400);
        assertThat(body(reply).get("code").asText()).isEqualTo("malformed_request");
    }

    @Test
    void toReply_jettyClientError_isMalformedRequestNotInternal() throws IOException {
        Reply reply = ErrorMapper.toReply(new HttpException.IllegalArgumentException(400, "Bad query"));

        assertThat(reply.status()).isEqualTo(400);
        assertThat(body(reply).get("code").asText()).isEqualTo("malformed_request");
    }

    @Test
    void forProtocolError_headersTooLarge_keeps431WithPayloadTooLarge() throws IOException {
        Reply reply = ErrorMapper.forProtocolError(431);

        assertThat(reply.status()).isEqualTo(431);
        assertThat(body(reply).get("code").asText()).isEqualTo("payload_too_large");
    }

    @Test
    void forProtocolError_badRequest_isMalformedRequest() throws IOException {
        Reply reply = ErrorMapper.forProtocolError(400);

        assertThat(reply.status()).isEqualTo(400);
        assertThat(body(reply).get("code").asText()).isEqualTo("malformed_request");
    }
}
