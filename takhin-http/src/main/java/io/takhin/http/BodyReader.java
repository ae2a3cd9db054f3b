package io.takhin.http;

import io.takhin.common.ErrorCode;
import io.takhin.common.TakhinException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Reads a request body into memory without ever holding more than the route's limit (package
 * invariant H3): a declared Content-Length above the limit is refused before a byte is read, and a
 * body of unknown length (chunked) is refused as soon as it passes the limit. Stateless.
 */
final class BodyReader {
    private static final int FIRST_CHUNK_BYTES = 8 * 1024;

    private BodyReader() {}

    /**
     * Refuses a body whose declared length is above the limit. {@code declaredLength} is -1 when the
     * request has no Content-Length (a chunked body or none).
     */
    static void checkDeclaredLength(long declaredLength, long limitBytes) {
        if (declaredLength > limitBytes) {
            throw tooLarge("request body is " + declaredLength + " bytes; the limit for this route is " + limitBytes
                    + " bytes");
        }
    }

    /**
     * A body must be JSON where one is read. A missing (or empty) Content-Type is tolerated, since
     * many clients omit it; {@code application/json} and {@code application/*+json} are accepted with
     * any parameters; anything else is 400 {@code malformed_request}.
     */
    static void checkJsonContentType(@Nullable String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return;
        }
        int semicolon = contentType.indexOf(';');
        String mediaType = (semicolon < 0 ? contentType : contentType.substring(0, semicolon))
                .trim()
                .toLowerCase(Locale.ROOT);
        boolean json = mediaType.equals("application/json")
                || (mediaType.startsWith("application/") && mediaType.endsWith("+json"));
        if (!json) {
            throw new TakhinException(
                    ErrorCode.MALFORMED_REQUEST, "Content-Type must be application/json, got '" + contentType + "'");
        }
    }

    /** The whole body, at most {@code limitBytes} long. */
    static byte[] read(InputStream in, long declaredLength, long limitBytes) {
        checkDeclaredLength(declaredLength, limitBytes);
        try {
            if (declaredLength >= 0) {
                byte[] body = in.readNBytes((int) declaredLength);
                if (body.length < declaredLength) {
                    throw new TakhinException(
                            ErrorCode.MALFORMED_REQUEST,
                            "request body ended after " + body.length + " of its declared " + declaredLength
                                    + " bytes");
                }
                return body;
            }
            return readUnknownLength(in, limitBytes);
        } catch (IOException e) {
            // The client went away or sent a broken chunked body; no route can answer it usefully.
            throw new TakhinException(ErrorCode.MALFORMED_REQUEST, "the request body could not be read", e);
        }
    }

    private static byte[] readUnknownLength(InputStream in, long limitBytes) throws IOException {
        byte[] buffer = new byte[(int) Math.min(FIRST_CHUNK_BYTES, limitBytes + 1)];
        int length = 0;
        while (true) {
            if (length == buffer.length) {
                if (length > limitBytes) {
                    throw tooLarge("request body exceeds the limit for this route of " + limitBytes + " bytes");
                }
                // One byte past the limit is enough to know the body is too large.
                long grown = Math.min((long) buffer.length * 2, limitBytes + 1);
                buffer = Arrays.copyOf(buffer, (int) grown);
            }
            int read = in.read(buffer, length, buffer.length - length);
            if (read < 0) {
                return Arrays.copyOf(buffer, length);
            }
            length += read;
        }
    }

    private static TakhinException tooLarge(String sentence) {
        return new TakhinException(ErrorCode.PAYLOAD_TOO_LARGE, sentence);
    }
}
