/**
 * Black-box tests: the real server on 127.0.0.1, port 0, a temporary data directory, spoken to over
 * HTTP with {@code java.net.http}. In-process servers come from {@link io.takhin.it.TakhinServerExtension};
 * crash tests start the server as a separate process ({@link io.takhin.it.ServerProcess}).
 */
@NullMarked
package io.takhin.it;

import org.jspecify.annotations.NullMarked;
