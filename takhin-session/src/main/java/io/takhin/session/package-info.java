/**
 * HTTP consumer sessions over the backend SPI: what makes a stateless HTTP client a group member.
 *
 * <h2>Glossary</h2>
 * session: one subscribed consumer, named by its consumer id. activity: any call on the session;
 * a poll counts as activity for as long as it is in flight. deadline: last activity plus the
 * session timeout.
 *
 * <h2>Invariants</h2>
 * S1. A consumer id is 128 random bits from {@link java.security.SecureRandom}, URL-safe; ids are
 *     never reused.
 * S2. At most one poll per session is in flight; a second one is refused with
 *     {@code poll_in_progress} (409) rather than queued, so a client never waits behind itself.
 * S3. A session with no activity for its timeout, and no poll in flight, is closed exactly as if
 *     the client had deleted it: removed from the table first (later calls get
 *     {@code consumer_not_found}), then its backend consumer is closed (its partitions rebalance).
 * S4. The number of live sessions never exceeds the configured maximum; subscribe beyond it is
 *     refused with {@code too_many_requests}.
 * S5. One consume response buffers at most the configured key and value bytes
 *     ({@code consumers.max-response-bytes}), whatever {@code max_bytes_total} asks; a single record
 *     larger than the bound is still returned alone, so a consumer never gets stuck.
 * S6. A consume, position or commit-all that arrives while the previous consume's response is
 *     still being written waits (up to 5 s) for that write to finish, so it sees the advanced
 *     position; only a poll that is still parked makes a second consume fail with 409.
 *
 * <h2>Concurrency</h2>
 * The session table is a {@link java.util.concurrent.ConcurrentHashMap}; per-session state is
 * atomics. Expiry runs on one scheduler thread ("session-expiry") holding one pending timer per
 * session, re-armed lazily: when a timer fires early (there was activity since), it is set again for
 * the new deadline. No thread or loop per consumer.
 */
@NullMarked
package io.takhin.session;

import org.jspecify.annotations.NullMarked;
