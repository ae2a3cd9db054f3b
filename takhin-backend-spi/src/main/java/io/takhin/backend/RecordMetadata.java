package io.takhin.backend;

/** Where a produced record landed, and the timestamp the store gave it. Immutable. */
public record RecordMetadata(int partition, long offset, long timestampMs) {}
