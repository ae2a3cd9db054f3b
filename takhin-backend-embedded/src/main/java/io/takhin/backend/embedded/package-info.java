/**
 * The embedded log store ({@code takhin-storage}) behind the backend SPI: the default backend, which
 * needs no set-up.
 *
 * <h2>Placement of produced records</h2>
 * {@link io.takhin.backend.RecordPlacement}: records without key and partition of one request go to
 * one partition, so the request costs one append and one fsync.
 *
 * <h2>Invariants</h2>
 * E1. The records of one request that land on one partition are appended as one batch, so they are
 *     durable all together or not at all (SPI contract B1).
 * E2. The returned metadata is in request order: record i of the request gets the offset
 *     {@code baseOffset + (its index among the request's records for that partition)}.
 *
 * <h2>Concurrency</h2>
 * Thread-safe: the store serialises appends per partition; a request touching several partitions
 * appends to them in parallel on virtual threads and returns when all are durable.
 */
@NullMarked
package io.takhin.backend.embedded;

import org.jspecify.annotations.NullMarked;
