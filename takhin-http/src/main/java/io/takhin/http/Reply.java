package io.takhin.http;

import java.util.HashMap;
import java.util.Map;

/**
 * A complete HTTP response: status, content type, extra headers and the whole body. Immutable by
 * convention (the body array is handed over, never changed after construction).
 */
record Reply(int status, String contentType, Map<String, String> headers, byte[] body, int length, Delivery delivery) {
    static final String JSON = "application/json";

    Reply {
        headers = Map.copyOf(headers);
        if (length < 0 || length > body.length) {
            throw new IllegalArgumentException("a body of " + length + " bytes in an array of " + body.length);
        }
    }

    Reply(int status, String contentType, Map<String, String> headers, byte[] body) {
        this(status, contentType, headers, body, body.length, Delivery.NONE);
    }

    /**
     * Told whether the response reached the client's connection: a consume moves the consumer's
     * position only once its records were written. Called on the thread that finished the write.
     */
    interface Delivery {
        Delivery NONE = delivered -> {};

        void done(boolean delivered);
    }

    Reply withDelivery(Delivery delivery) {
        return new Reply(status, contentType, headers, body, length, delivery);
    }

    static Reply json(int status, byte[] body) {
        return new Reply(status, JSON, Map.of(), body);
    }

    /** A JSON body that is the first {@code length} bytes of {@code body}. */
    static Reply json(int status, byte[] body, int length) {
        return new Reply(status, JSON, Map.of(), body, length, Delivery.NONE);
    }

    Reply withHeader(String name, String value) {
        var copy = new HashMap<>(headers);
        copy.put(name, value);
        return new Reply(status, contentType, copy, body, length, delivery);
    }
}
