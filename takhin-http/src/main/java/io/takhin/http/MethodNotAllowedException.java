package io.takhin.http;

import io.takhin.common.ErrorCode;
import io.takhin.common.TakhinException;
import java.util.Set;
import java.util.TreeSet;

/** A known path asked with a method it does not serve; carries the methods for the Allow header. Immutable. */
final class MethodNotAllowedException extends TakhinException {
    private final Set<String> allowed;

    MethodNotAllowedException(String method, String path, Set<String> allowed) {
        super(
                ErrorCode.METHOD_NOT_ALLOWED,
                path + " does not accept " + method + "; it accepts " + String.join(", ", new TreeSet<>(allowed)));
        this.allowed = Set.copyOf(allowed);
    }

    /** The value of the Allow header: the methods, sorted, comma-separated. */
    String allowHeader() {
        return String.join(", ", new TreeSet<>(allowed));
    }
}
