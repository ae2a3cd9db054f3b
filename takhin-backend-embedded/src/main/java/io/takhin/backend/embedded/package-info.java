/**
 * The embedded log store ({@code takhin-storage}) behind the backend SPI: the default backend, which
 * needs no set-up.
 *
 * <h2>Placement of produced records</h2>
 * A record with an explicit partition goes there. A keyed record goes to
 * {@code murmur2(key) mod partitions}, exactly as Kafka's default partitioner places it. Records
 * without key and partition in one request all go to one partition, chosen round-robin per request
 * per topic (like Kafka's sticky partitioner): the request then costs one append and one fsync
 * instead of one per partition, and successive requests spread over all partitions.
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
