package io.takhin.server;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Raw configuration values resolved in order: command-line flags, then the properties file named by
 * {@code --config}, then each setting's default. Values are checked against their {@link Setting}
 * when read. Immutable after construction.
 */
final class ConfigValues {
    private final Map<String, String> values;

    private ConfigValues(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    /** Parses {@code --key value} and {@code --key=value} flags. */
    static ConfigValues parse(List<String> flags) {
        Map<String, String> fromFlags = new HashMap<>();
        for (int i = 0; i < flags.size(); i++) {
            String flag = flags.get(i);
            if (!flag.startsWith("--") || flag.length() == 2) {
                throw new ConfigException("unexpected argument '" + flag + "'; settings are given as --key=value");
            }
            String key;
            String value;
            int equals = flag.indexOf('=');
            if (equals > 0) {
                key = flag.substring(2, equals);
                value = flag.substring(equals + 1);
            } else {
                key = flag.substring(2);
                if (i + 1 >= flags.size()) {
                    throw new ConfigException("flag --" + key + " needs a value");
                }
                value = flags.get(++i);
            }
            if (!key.equals("config") && !isKafkaKey(key) && find(key) == null) {
                throw new ConfigException("unknown setting --" + key + "; 'takhin --help' lists them all");
            }
            fromFlags.put(key, value);
        }
        Map<String, String> resolved = new HashMap<>();
        String file = fromFlags.get("config");
        if (file != null) {
            resolved.putAll(readFile(Path.of(file)));
        }
        resolved.putAll(fromFlags);
        resolved.remove("config");
        return new ConfigValues(resolved);
    }

    private static Map<String, String> readFile(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
        }
        Map<String, String> result = new HashMap<>();
        for (String key : properties.stringPropertyNames()) {
            if (!isKafkaKey(key) && find(key) == null) {
                throw new ConfigException("unknown setting '" + key + "' in " + file);
            }
            result.put(key, properties.getProperty(key).trim());
        }
        return result;
    }

    private static boolean isKafkaKey(String key) {
        return key.startsWith(Settings.KAFKA_PREFIX) && key.length() > Settings.KAFKA_PREFIX.length();
    }

    /** Every {@code kafka.*} value, with the prefix removed, for kafka-clients. */
    Map<String, String> kafkaClientProperties() {
        Map<String, String> result = new TreeMap<>();
        values.forEach((key, value) -> {
            if (isKafkaKey(key)) {
                result.put(key.substring(Settings.KAFKA_PREFIX.length()), value);
            }
        });
        return result;
    }

    private static @Nullable Setting find(String key) {
        for (Setting setting : Settings.ALL) {
            if (setting.key().equals(key)) {
                return setting;
            }
        }
        return null;
    }

    private String raw(Setting setting) {
        return values.getOrDefault(setting.key(), setting.defaultValue());
    }

    String string(Setting setting) {
        return raw(setting);
    }

    long number(Setting setting) {
        String raw = raw(setting);
        long value;
        try {
            value = Long.parseLong(raw.replace("_", ""));
        } catch (NumberFormatException e) {
            throw invalid(setting, raw);
        }
        if (value < setting.min() || value > setting.max()) {
            throw invalid(setting, raw);
        }
        return value;
    }

    int integer(Setting setting) {
        return Math.toIntExact(number(setting));
    }

    /** host and port of a HOST:PORT setting. */
    HostPort hostPort(Setting setting) {
        String raw = raw(setting);
        int colon = raw.lastIndexOf(':');
        if (colon < 0) {
            throw invalid(setting, raw);
        }
        String host = raw.substring(0, colon);
        if (host.isEmpty()) {
            host = "0.0.0.0";
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            int port = Integer.parseInt(raw.substring(colon + 1));
            if (port < 0 || port > 65_535) {
                throw invalid(setting, raw);
            }
            return new HostPort(host, port);
        } catch (NumberFormatException e) {
            throw invalid(setting, raw);
        }
    }

    private static ConfigException invalid(Setting setting, String raw) {
        return new ConfigException(
                "invalid value '" + raw + "' for " + setting.key() + "; allowed: " + setting.range());
    }

    record HostPort(String host, int port) {}
}
