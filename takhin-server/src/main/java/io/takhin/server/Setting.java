package io.takhin.server;

/**
 * One configuration key: its type, default, allowed range and documentation. Immutable.
 *
 * @param key lower-case with dots and dashes; also the command-line flag ({@code --key})
 * @param min for numbers, the smallest allowed value
 * @param max for numbers, the largest allowed value
 */
record Setting(String key, Type type, String defaultValue, long min, long max, String doc) {
    enum Type {
        STRING,
        LONG,
        HOST_PORT
    }

    static Setting string(String key, String defaultValue, String doc) {
        return new Setting(key, Type.STRING, defaultValue, 0, 0, doc);
    }

    static Setting number(String key, long defaultValue, long min, long max, String doc) {
        return new Setting(key, Type.LONG, Long.toString(defaultValue), min, max, doc);
    }

    static Setting hostPort(String key, String defaultValue, String doc) {
        return new Setting(key, Type.HOST_PORT, defaultValue, 0, 0, doc);
    }

    /** The allowed values, for help text and error messages. */
    String range() {
        return switch (type) {
            case STRING -> "any text";
            case LONG -> min + ".." + max;
            case HOST_PORT -> "HOST:PORT with PORT in 0..65535";
        };
    }
}
