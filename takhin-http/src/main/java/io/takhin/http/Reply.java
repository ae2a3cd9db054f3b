package io.takhin.http;

import java.util.HashMap;
import java.util.Map;

/**
 * A complete HTTP response: status, content type, extra headers and the whole body. Immutable by
 * convention (the body array is handed over, never changed after construction).
 */
record Reply(int status, String contentType, Map<String, String> headers, byte[] body, Delivery delivery) {
    static final String JSON = "application/json";

    Reply {
        headers = Map.copyOf(headers);
    }

    Reply(int status, String contentType, Map<String, String> headers, byte[] body) {
        this(status, contentType, headers, body, Delivery.NONE);
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
        return new Reply(status, contentType, headers, body, delivery);
    }

    static Reply json(int status, byte[] body) {
        return new Reply(status, JSON, Map.of(), body);
    }

    Reply withHeader(String name, String value) {
        var copy = new HashMap<>(headers);
        copy.put(name, value);
        return new Reply(status, contentType, copy, body, delivery);
    }
}
