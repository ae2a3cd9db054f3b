/**
 * What every Takhin module shares: the clock, topic-partition names, the error vocabulary and
 * Kafka-compatible key hashing.
 *
 * <h2>Errors</h2>
 * Three kinds (see the style guide): a broken invariant is an {@link java.lang.IllegalStateException};
 * an outcome the caller branches on is a return value; a client or environment error is a
 * {@link io.takhin.common.TakhinException} carrying an {@link io.takhin.common.ErrorCode}. The wire
 * string of an error code never changes once released; only the HTTP module maps codes to statuses.
 *
 * <h2>Time</h2>
 * Nothing outside this package reads the system clock: components take a {@link io.takhin.common.Time}
 * so tests can drive them with {@link io.takhin.common.ManualTime}.
 */
@NullMarked
package io.takhin.common;

import org.jspecify.annotations.NullMarked;
