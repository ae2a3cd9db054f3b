package io.takhin.bench;

import java.util.HashMap;
import java.util.Map;

/** {@code --name value} command-line options of the load tools. Immutable. */
record Args(Map<String, String> values) {
    static Args parse(String[] args) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value pairs, got '" + args[i] + "'");
            }
            values.put(args[i].substring(2), args[++i]);
        }
        return new Args(Map.copyOf(values));
    }

    String string(String name, String defaultValue) {
        return values.getOrDefault(name, defaultValue);
    }

    int integer(String name, int defaultValue) {
        return Integer.parseInt(values.getOrDefault(name, Integer.toString(defaultValue)));
    }
}
