/**
 * The HTTP API over an Apache Kafka cluster: the backend SPI mapped onto kafka-clients. This is the
 * only module that uses kafka-clients; {@link io.takhin.backend.kafka.KafkaBackend} and {@link
 * io.takhin.backend.kafka.KafkaBackendConfig} are its public face ({@code --backend=kafka}, every
 * {@code --kafka.<name>} passed to kafka-clients as {@code <name>}).
 *
 * <h2>Mapping</h2>
 * Topics: the Admin client. Produce: one shared idempotent producer, acks=all by default; placement
 * as the embedded store's (murmur2 of the key, else one partition per request). Consumers: one
 * KafkaConsumer per HTTP consumer, in the group named at subscribe, with the classic group protocol
 * and {@link io.takhin.backend.kafka.TakhinAssignor}. Groups and lag: the Admin client.
 *
 * <h2>Invariants</h2>
 * K1. A KafkaConsumer and its buffers are used by exactly one thread, its own; requests reach it as
 *     commands queued in arrival order and a blocked poll is woken with {@code wakeup()}. No lock is
 *     held across a poll, and the thread never stops polling while the member lives, so group
 *     membership stays healthy however long the HTTP client is away. One shortcut: the thread
 *     prepares the next poll's records (after those of the response in flight, if there is one),
 *     and a poll with the same limits and no command queued before it claims them at once, but
 *     only once the response they follow was written. A prepared fetch goes to exactly one side (a
 *     compare-and-set); the thread takes it back before anything that could change those records or
 *     their partitions runs (a command other than a poll, a poll with other limits, a revocation,
 *     close), and when the response it follows was not written, so that one's records go first.
 *     Its encoding is started at once on another thread (backend SPI B4).
 * K2. A consumer buffers at most {@code BUFFER_LIMIT_BYTES} of records (plus one poll's worth),
 *     counted as their heap: keys, values and a fixed estimate per record; above it its partitions
 *     are paused, not its loop. Keys and values are Kafka's slices of the fetched bytes, not copies,
 *     so beyond the buffered records at most the fetch responses they lie in stay reachable.
 * K3. A partition is given up (revoked) only after a response being written with its records has
 *     been written or abandoned (bounded wait), so its next owner never reads records this member is
 *     still delivering. Records stay buffered until written; an abandoned response is sent again.
 * K4. Kafka's exceptions are the API's error codes ({@code KafkaErrors}): a cluster that does not
 *     answer is 503 {@code backend_unavailable} naming it; nothing Kafka throws becomes a 500 unless
 *     it is a bug.
 * K5. An availability probe runs every two seconds; while it fails, requests that need the cluster
 *     answer 503 at once and {@code /api/health} says why; the first success restores service. Only
 *     changes are logged.
 * K6. Group assignments are computed by {@code TakhinAssignor}: manually assigned members get
 *     exactly their claims and stay group members (so they can commit); balanced members share the
 *     rest, balanced and sticky. Partition counts come from this server's {@code TopicDirectory}
 *     when it knows them, so its own topic changes are in the next assignment.
 * K7. Subscribe, close and topic create/delete answer once this server's members of the groups
 *     concerned have their new shares (bounded): the next request sees the new assignment.
 *
 * <h2>Differences from the embedded store</h2>
 * Produce is not atomic per partition (the producer may send a request's records in several
 * batches). Consumed records become visible after Kafka's fetch, a few milliseconds after the
 * produce, not at once. Members on other Takhin servers, or Kafka clients outside Takhin, rebalance
 * on Kafka's own schedule (heartbeats, metadata refresh), so K7 covers this server only.
 */
@NullMarked
package io.takhin.backend.kafka;

import org.jspecify.annotations.NullMarked;
