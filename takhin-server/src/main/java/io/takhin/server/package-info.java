/**
 * The process: command line, configuration, wiring of backend and HTTP server, and shutdown order.
 *
 * <h2>Configuration</h2>
 * Every setting is defined once in {@link io.takhin.server.Settings} with its type, default, allowed
 * range and doc string. Values come from command-line flags, then an optional properties file
 * ({@code --config FILE}), then defaults. An invalid value stops startup with one line naming the
 * key, the value and the allowed range.
 *
 * <h2>Lifecycle</h2>
 * Start: backend (opens and recovers the store and committed offsets), consumer sessions, then the
 * HTTP server. Stop (SIGTERM, Ctrl-C) in reverse: the HTTP server first, so no request is in flight,
 * then the sessions (their members leave their groups), then the backend, which flushes and writes
 * its clean-shutdown marker.
 */
@NullMarked
package io.takhin.server;

import org.jspecify.annotations.NullMarked;
