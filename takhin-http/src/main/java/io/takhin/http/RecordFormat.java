package io.takhin.http;

import io.takhin.common.TakhinException;

/**
 * How a produce request encodes a record's key or value in JSON, chosen by the {@code key.format} and
 * {@code value.format} query parameters. JSON {@code null} always means "no key" / a null value.
 */
enum RecordFormat {
    /** Any JSON value, stored as its compact JSON text (a string keeps its quotes). The default. */
    JSON("json"),
    /** A JSON string, stored as its UTF-8 bytes. */
    STRING("string"),
    /** A JSON string holding standard base64 (RFC 4648 §4), stored decoded. */
    BINARY("binary");

    private final String queryValue;

    RecordFormat(String queryValue) {
        this.queryValue = queryValue;
    }

    String queryValue() {
        return queryValue;
    }

    /** The format query parameter {@code parameter} names; absent means {@link #JSON}; unknown is 400. */
    static RecordFormat fromQuery(Call call, String parameter) {
        return call.queryParam(parameter).map(value -> parse(parameter, value)).orElse(JSON);
    }

    /** The format named {@code value}; anything unknown is 400 naming {@code parameter}. */
    static RecordFormat parse(String parameter, String value) {
        for (RecordFormat format : values()) {
            if (format.queryValue.equals(value)) {
                return format;
            }
        }
        throw TakhinException.invalidArgument(parameter + " must be one of json, string, binary; got '" + value + "'");
    }
}
