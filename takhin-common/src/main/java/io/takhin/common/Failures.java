package io.takhin.common;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Helpers for failures that arrive through futures. Stateless. */
public final class Failures {
    private Failures() {}

    /**
     * The failure a future's wrappers ({@link CompletionException}, {@link ExecutionException})
     * carry, so its type (e.g. a {@link TakhinException} and its code) decides what happens next.
     */
    public static Throwable unwrap(Throwable failure) {
        Throwable current = failure;
        while ((current instanceof CompletionException || current instanceof ExecutionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }
}
