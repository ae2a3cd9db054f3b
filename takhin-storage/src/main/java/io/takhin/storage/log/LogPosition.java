package io.takhin.storage.log;

/**
 * A point in the log: the next offset after it, and the segment and byte position where that offset
 * would start. Published as one volatile reference, so a reader sees the three fields together and
 * never a batch that is half written (I5). Immutable.
 */
record LogPosition(long offset, long segmentBaseOffset, int position) {}
