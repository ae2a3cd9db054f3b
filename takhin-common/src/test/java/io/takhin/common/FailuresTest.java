package io.takhin.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class FailuresTest {
    @Test
    void unwrap_nestedFutureWrappers_returnsTheFailureInside() {
        TakhinException inside = TakhinException.topicNotFound("t");

        assertThat(Failures.unwrap(new CompletionException(new ExecutionException(inside))))
                .isSameAs(inside);
        assertThat(Failures.unwrap(inside)).isSameAs(inside);
    }

    @Test
    void unwrap_wrapperWithoutCause_returnsTheWrapper() {
        CompletionException empty = new CompletionException("no cause", null);

        assertThat(Failures.unwrap(empty)).isSameAs(empty);
    }
}
