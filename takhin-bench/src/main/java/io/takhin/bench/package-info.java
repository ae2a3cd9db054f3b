/**
 * Benchmarks: JMH benchmarks of the log store, and load tools that drive a running server over HTTP
 * on 127.0.0.1. Every tool is bounded in time and request count and stops by itself. Results and
 * the commands that produced them are in {@code BENCHMARKS.md}.
 */
@NullMarked
package io.takhin.bench;

import org.jspecify.annotations.NullMarked;
