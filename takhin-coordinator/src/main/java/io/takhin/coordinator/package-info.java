/**
 * The consumer-group coordinator of the embedded backend: who is in each group, which partitions
 * each member owns, and each group's durable committed offsets. {@link
 * io.takhin.coordinator.GroupCoordinator} is the entry point; everything else is package-private.
 *
 * <h2>Glossary</h2>
 * group: consumers sharing a group id; they share the partitions of the topics they subscribe to
 * and one set of committed offsets. member: one consumer session of a group, named by the session
 * layer's consumer id. balanced member: a member that subscribed to topics and gets its share from
 * the {@link io.takhin.coordinator.Assignor}. manual member: a member that named its partitions
 * ({@code assignManually}); it is left out of balancing and owns exactly those that exist.
 * assignment: the partitions a member owns, published as an immutable {@link
 * io.takhin.coordinator.MemberAssignment} snapshot. rebalance: recomputing and publishing every
 * member's assignment after a join, a leave, a manual assignment or a topic event. generation: the
 * number of a group's rebalances so far; it increases by one on every rebalance and is not
 * persisted (members do not survive a restart either). committed offset: the next offset the group
 * will read on a partition (Kafka semantics), durable once its commit completes. drain: the
 * requests the coordinator thread takes from its queue at once; their commits share one append.
 *
 * <h2>Offsets log record format</h2>
 * One partition-log record per change; all integers big-endian, strings UTF-8 with a u16 byte
 * length. Keys and values start with a version byte (1); a reader refuses other versions.
 * <pre>
 * key:   version u8 | groupLength u16 | groupId | topicLength u16 | topic | partition i32
 * value: version u8 | committedOffset i64 | commitTimestampMs i64      (17 bytes)
 *        or no value (null): a tombstone, the offset is deleted (its topic was deleted)
 * </pre>
 * The records of one drain form one batch, so one CRC32C covers them and recovery keeps all of them
 * or none. Replay applies records in log order; the last record of a key wins.
 *
 * <h2>Snapshot format and compaction</h2>
 * The offsets directory holds {@code snapshot-<generation>.snapshot} and {@code log-<generation>/}
 * (20-digit, zero-padded). A snapshot holds every committed offset at the moment its log
 * generation starts; generation 0 has no snapshot.
 * <pre>
 * magic "TKOS" (0x544B4F53) | formatVersion u8 (1) | generation i64 | entryCount i32 |
 * entries, sorted by group then topic then partition:
 *   groupLength u16 | groupId | topicLength u16 | topic | partition i32 | committedOffset i64 | commitTimestampMs i64
 * crc u32: CRC32C of every byte before it
 * </pre>
 * When the current log holds more records than {@code compactAfterRecords}, the coordinator writes
 * {@code snapshot-(g+1).snapshot.tmp}, fsyncs it, renames it into place, fsyncs the directory,
 * opens {@code log-(g+1)} and deletes generation g. Recovery: delete {@code *.tmp} files, load the
 * newest snapshot (a corrupt one stops startup rather than losing offsets), delete older
 * generations, replay the snapshot's log. Details in {@link io.takhin.coordinator.OffsetStore}.
 *
 * <h2>Invariants</h2>
 * C1. Exclusive ownership: a partition of a group is owned by at most one live member at any
 *     instant, as seen through the published snapshots. A rebalance publishes, on the coordinator
 *     thread, first every snapshot that loses partitions (and removes a leaver's), then every
 *     snapshot that gains; so a reader that checks its snapshot after reading records never holds
 *     a partition at the same instant as its new owner. The coordinator also checks, before
 *     publishing, that the new generation gives no partition to two members.
 * C2. Balance: after a rebalance every existing, not manually owned partition of a topic that some
 *     balanced member subscribes to is owned by exactly one such subscriber, and no balanced member
 *     owns a partition that an eligible member with two or more partitions fewer could own; so
 *     balanced members with the same subscription own counts that differ by at most one.
 * C3. Stickiness: a partition stays with its owner unless the owner left, stopped subscribing, or
 *     lost it to a manual member or a deleted topic, or balance (C2) needs the move; when all
 *     balanced members share one subscription the number of moves is the minimum any balanced
 *     assignment needs. Ties break by member id, so the result is deterministic.
 * C4. A commit is checked on the coordinator thread against the member's current assignment: every
 *     partition must be owned by the committing member right now, else the whole request fails with
 *     {@code partition_not_owned} and nothing of it is committed.
 * C5. A commit completes only after its records are fsynced; {@code committed()} and {@code
 *     describeGroup} show only durable offsets.
 * C6. Manual assignments of one group never overlap (the second claim is refused with {@code
 *     partition_not_owned}); a manual claim wins over balanced members, who rebalance around it.
 * C7. Every generation of a group is greater than the one before; every published snapshot of a
 *     rebalance carries that rebalance's generation.
 *
 * <h2>Concurrency</h2>
 * One platform thread, {@code takhin-group-coordinator}, owns the groups, members, partition
 * counts, pending commits and the offsets store: {@link io.takhin.coordinator.GroupManager},
 * {@link io.takhin.coordinator.Group}, {@link io.takhin.coordinator.Member} and
 * {@link io.takhin.coordinator.OffsetStore} are confined to it. Public methods put an
 * {@link io.takhin.coordinator.Event} on a bounded queue and return a future. The loop takes one
 * event, drains up to {@code maxEventsPerDrain - 1} more, handles them in order (commits are
 * validated and their records queued), appends all the drain's records as one batch (one fsync),
 * applies them, and only then completes the drain's commit futures; then it compacts if due.
 * Futures are completed from a new virtual thread each, never on the coordinator thread. Readable
 * from any thread without queueing, through {@link io.takhin.coordinator.PublishedState}: each
 * member's {@link io.takhin.coordinator.MemberAssignment} and each durable committed offset.
 * There are no timers: the session layer above expires sessions and calls {@code leave}.
 *
 * <h2>Failures</h2>
 * Client errors fail the request's future with a {@link io.takhin.common.TakhinException}. If the
 * append of a drain fails, every commit of that drain fails with {@code storage_unavailable} and
 * nothing of it is applied; the partition log then refuses appends until a restart. A compaction
 * that fails before its snapshot is in place is logged and retried later; one that fails after it
 * leaves the store refusing commits until a restart, because going on could lose commits. A bug
 * while handling one request fails that request and is logged; the loop goes on. {@code close()}
 * handles the requests queued before it and fails later ones with {@code shutting_down}.
 */
@NullMarked
package io.takhin.coordinator;

import org.jspecify.annotations.NullMarked;
