/**
 * JMH benchmarks of the embedded log store: append with fsync-per-append group commit, sequential
 * read, and recovery scan. Run through {@code bench/store.sh}, which also measures the disk's
 * fsynced sequential write bandwidth with {@code dd} in the same run, for the ratio.
 */
@NullMarked
package io.takhin.bench.store;

import org.jspecify.annotations.NullMarked;
