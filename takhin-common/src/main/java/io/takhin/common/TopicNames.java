package io.takhin.common;

/** Kafka's topic naming rule: 1..249 characters of [a-zA-Z0-9._-], and neither "." nor "..". */
public final class TopicNames {
    public static final int MAX_LENGTH = 249;

    private TopicNames() {}

    /** Throws {@link TakhinException#invalidArgument} naming what is wrong with {@code name}. */
    public static void validate(String name) {
        if (name.isEmpty()) {
            throw TakhinException.invalidArgument("topic name must not be empty");
        }
        if (name.length() > MAX_LENGTH) {
            throw TakhinException.invalidArgument(
                    "topic name is " + name.length() + " characters long; the limit is " + MAX_LENGTH);
        }
        if (name.equals(".") || name.equals("..")) {
            throw TakhinException.invalidArgument("topic name must not be '.' or '..'");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '.'
                    || c == '_'
                    || c == '-';
            if (!ok) {
                throw TakhinException.invalidArgument("topic name '" + name
                        + "' has an illegal character at index " + i
                        + "; allowed are ASCII letters, digits, '.', '_' and '-'");
            }
        }
    }
}
