package io.takhin.backend.kafka;

import io.takhin.common.ErrorCode;
import io.takhin.common.Failures;
import io.takhin.common.TakhinException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.jspecify.annotations.Nullable;

/**
 * Kafka's exceptions as the API's error codes (K4): client mistakes keep their meaning, everything
 * that says "the cluster did not answer" becomes {@code backend_unavailable} with a sentence naming
 * the cluster, and the rest is a bug ({@code internal}).
 */
final class KafkaErrors {
    private KafkaErrors() {}

    /** The future's value within {@code timeoutMs}, its failure translated. */
    static <T> T await(Future<T> future, long timeoutMs, String what, String cluster) {
        try {
            return future.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TakhinException(
                    ErrorCode.SHUTTING_DOWN, "interrupted while " + what + ": the server is stopping");
        } catch (ExecutionException e) {
            throw translate(e.getCause(), what, cluster);
        } catch (java.util.concurrent.TimeoutException e) {
            future.cancel(true);
            throw unavailable(what, cluster, "no answer within " + timeoutMs + " ms", null);
        }
    }

    static TakhinException unavailable(String what, String cluster, String why, @Nullable Throwable cause) {
        return new TakhinException(
                ErrorCode.BACKEND_UNAVAILABLE,
                "the Kafka cluster at " + cluster + " is not available (" + why + ") while " + what + "; retry later",
                cause);
    }

    /** {@code failure} (of an action described by {@code what}) as the API's exception. */
    static RuntimeException translate(Throwable failure, String what, String cluster) {
        Throwable cause = Failures.unwrap(failure);
        if (cause instanceof TakhinException takhin) {
            return takhin;
        }
        if (cause instanceof TopicExistsException) {
            return new TakhinException(ErrorCode.TOPIC_ALREADY_EXISTS, cause.getMessage(), cause);
        }
        if (cause instanceof UnknownTopicOrPartitionException) {
            return new TakhinException(ErrorCode.TOPIC_NOT_FOUND, cause.getMessage(), cause);
        }
        if (cause instanceof InvalidTopicException
                || cause instanceof InvalidPartitionsException
                || cause instanceof InvalidReplicationFactorException
                || cause instanceof InvalidConfigurationException
                || cause instanceof PolicyViolationException) {
            return new TakhinException(ErrorCode.INVALID_ARGUMENT, "Kafka refused it: " + cause.getMessage(), cause);
        }
        if (cause instanceof RecordTooLargeException || cause instanceof RecordBatchTooLargeException) {
            return new TakhinException(
                    ErrorCode.PAYLOAD_TOO_LARGE,
                    "Kafka refused the records as too large (its max.request.size or message.max.bytes): "
                            + cause.getMessage(),
                    cause);
        }
        if (cause instanceof AuthenticationException || cause instanceof AuthorizationException) {
            return new TakhinException(
                    ErrorCode.BACKEND_UNAVAILABLE,
                    "the Kafka cluster at " + cluster + " refused Takhin's credentials while " + what + ": "
                            + cause.getMessage(),
                    cause);
        }
        if (cause instanceof TimeoutException || cause instanceof RetriableException) {
            return unavailable(what, cluster, String.valueOf(cause.getMessage()), cause);
        }
        if (cause instanceof InterruptException) {
            return new TakhinException(
                    ErrorCode.SHUTTING_DOWN, "interrupted while " + what + ": the server is stopping", cause);
        }
        if (cause instanceof RuntimeException runtime) {
            return runtime;
        }
        return new IllegalStateException("unexpected failure while " + what, cause);
    }
}
