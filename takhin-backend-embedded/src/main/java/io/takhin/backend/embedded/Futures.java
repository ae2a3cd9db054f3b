package io.takhin.backend.embedded;

import io.takhin.common.ErrorCode;
import io.takhin.common.Failures;
import io.takhin.common.TakhinException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** Waiting for the coordinator's futures from a request's (virtual) thread. */
final class Futures {
    private Futures() {}

    /** The future's value; its failure rethrown as it was (a TakhinException stays one). */
    static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TakhinException(ErrorCode.SHUTTING_DOWN, "the request was interrupted: the server is stopping");
        } catch (ExecutionException e) {
            throw unwrap(e.getCause());
        }
    }

    static RuntimeException unwrap(Throwable failure) {
        Throwable cause = Failures.unwrap(failure);
        if (cause instanceof RuntimeException runtime) {
            return runtime;
        }
        return new IllegalStateException("unexpected failure", cause);
    }
}
