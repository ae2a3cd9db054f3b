package io.takhin.http;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Handles the requests of one route. Called on the request's virtual thread; it may block (produce,
 * admin) and return a completed stage, or return at once with a stage completed later by another
 * thread (long polls park on a future). A failure, thrown or in the stage, becomes an error reply via
 * {@link ErrorMapper}.
 */
@FunctionalInterface
interface Endpoint {
    CompletionStage<Reply> handle(Call call);

    /** A handler that computes its reply on the calling (virtual) thread. */
    @FunctionalInterface
    interface Blocking {
        Reply handle(Call call);
    }

    static Endpoint blocking(Blocking handler) {
        return call -> CompletableFuture.completedFuture(handler.handle(call));
    }
}
