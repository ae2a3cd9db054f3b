package io.takhin.http;

import com.fasterxml.jackson.core.exc.StreamReadException;
import io.takhin.common.ErrorCode;
import io.takhin.common.Failures;
import io.takhin.common.TakhinException;
import org.eclipse.jetty.http.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that turns a failure into an HTTP status and the error body
 * {@code {"error": "<sentence>", "code": "<wire code>"}} (package invariant H1). The status is chosen
 * by the exception's type and {@link ErrorCode}, never by its message. Unexpected failures become
 * 500 {@code internal} with a generic sentence and are logged here, once, with their stack trace;
 * nothing else is logged. Stateless and thread-safe.
 */
final class ErrorMapper {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorMapper.class);

    /** What a client sees for our own bugs; the details stay in the server log. */
    static final String INTERNAL_SENTENCE = "internal server error; the server log has the details";

    private ErrorMapper() {}

    /** The HTTP status of every error code. Exhaustive: a new code does not compile until it is mapped. */
    static int status(ErrorCode code) {
        return switch (code) {
            case INVALID_ARGUMENT, MALFORMED_REQUEST -> 400;
            case TOPIC_NOT_FOUND, PARTITION_NOT_FOUND, NOT_FOUND, CONSUMER_NOT_FOUND, GROUP_NOT_FOUND -> 404;
            case METHOD_NOT_ALLOWED -> 405;
            case TOPIC_ALREADY_EXISTS, PARTITION_NOT_OWNED, POLL_IN_PROGRESS -> 409;
            case PAYLOAD_TOO_LARGE -> 413;
            case TOO_MANY_REQUESTS -> 429;
            case INTERNAL -> 500;
            case STORAGE_UNAVAILABLE, BACKEND_UNAVAILABLE, SHUTTING_DOWN -> 503;
        };
    }

    /** The reply for any failure of a request. */
    static Reply toReply(Throwable failure) {
        Throwable cause = Failures.unwrap(failure);
        if (cause instanceof TakhinException e && e.code() != ErrorCode.INTERNAL) {
            String message = e.getMessage();
            Reply reply =
                    Reply.json(status(e.code()), body(message == null ? e.code().wire() : message, e.code()));
            if (e instanceof MethodNotAllowedException notAllowed) {
                return reply.withHeader("Allow", notAllowed.allowHeader());
            }
            if (e.code() == ErrorCode.TOO_MANY_REQUESTS || e.code() == ErrorCode.SHUTTING_DOWN) {
                return reply.withHeader("Retry-After", "1");
            }
            return reply;
        }
        if (cause instanceof StreamReadException e) {
            // A parser that forgot to translate a syntax error: still the client's bad JSON, never a 500.
            return toReply(Json.malformed(e));
        }
        if (cause instanceof HttpException e && e.getCode() >= 400 && e.getCode() < 500) {
            // Jetty found the request bad while a route read it (query encoding, chunking): the client's error.
            return forProtocolError(e.getCode());
        }
        LOG.error("internal error while handling a request", cause);
        return Reply.json(500, body(INTERNAL_SENTENCE, ErrorCode.INTERNAL));
    }

    /**
     * The reply for an error Jetty detected before any route ran (a bad request line, headers over the
     * limit, a broken chunked body); Jetty has chosen the status. Client errors are not logged.
     */
    static Reply forProtocolError(int status) {
        ErrorCode code;
        String sentence;
        switch (status) {
            case 413, 431 -> {
                code = ErrorCode.PAYLOAD_TOO_LARGE;
                sentence = status == 431
                        ? "request headers exceed the configured limit"
                        : "request exceeds the configured size limit";
            }
            case 414 -> {
                code = ErrorCode.PAYLOAD_TOO_LARGE;
                sentence = "request URI exceeds the configured header size limit";
            }
            case 503 -> {
                code = ErrorCode.SHUTTING_DOWN;
                sentence = "the server is not accepting requests";
            }
            default -> {
                if (status >= 400 && status < 500) {
                    code = ErrorCode.MALFORMED_REQUEST;
                    sentence = "the request is not valid HTTP (status " + status + ")";
                } else {
                    code = ErrorCode.INTERNAL;
                    sentence = INTERNAL_SENTENCE;
                }
            }
        }
        return Reply.json(status, body(sentence, code));
    }

    static byte[] body(String sentence, ErrorCode code) {
        return Json.bytes(g -> {
            g.writeStartObject();
            g.writeStringField("error", sentence);
            g.writeStringField("code", code.wire());
            g.writeEndObject();
        });
    }

    /** Futures wrap the real failure; the status belongs to the cause. */
}
