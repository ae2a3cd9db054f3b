package io.takhin.storage.log;

/**
 * Where an append landed: the offsets of its first and last record and the append time the log
 * assigned to all of them. Immutable.
 */
public record AppendResult(long baseOffset, long lastOffset, long timestampMs) {}
