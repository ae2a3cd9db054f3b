package io.takhin.server;

/** Startup configuration is invalid; the message is the one line the user sees. */
final class ConfigException extends IllegalArgumentException {
    ConfigException(String message) {
        super(message);
    }
}
