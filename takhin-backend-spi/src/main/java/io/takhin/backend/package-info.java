/**
 * The backend service-provider interface: everything the HTTP layer needs from a store, with no
 * HTTP, JSON or storage types in it. Two implementations: the embedded log store (default) and an
 * Apache Kafka cluster.
 *
 * <h2>Contracts every backend keeps</h2>
 * B1. {@link io.takhin.backend.Producer#produce} returns only once every record is durable per the
 *     backend's flush policy; it is all-or-nothing per partition.
 * B2. Results of a produce call come back in request order.
 * B3. Client errors are {@link io.takhin.common.TakhinException}s with a code; nothing here throws a
 *     checked exception.
 * B4. A backend may take a poll's records before the poll arrives ({@link
 *     io.takhin.backend.FetchPreparer}); then it runs the registered preparer's work for them on a
 *     thread of its own (never the one that owns the consumer), hands that work to the one poll
 *     that claims the records ({@link io.takhin.backend.Fetch#takePrepared}), and discards it
 *     when it takes the records back instead. Work is never both handed out and discarded.
 *
 * <h2>Concurrency</h2>
 * Every interface here is thread-safe; callers may block (they run on virtual threads).
 */
@NullMarked
package io.takhin.backend;

import org.jspecify.annotations.NullMarked;
