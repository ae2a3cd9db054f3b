/**
 * The Takhin HTTP API: routes, JSON encoding, limits and error mapping, on Jetty 12's core handler API
 * (no servlets). The only public types are {@link io.takhin.http.HttpConfig} and {@link
 * io.takhin.http.TakhinHttpServer}; everything else is package-private.
 *
 * <h2>Request path</h2>
 * Jetty parses the request (headers up to {@code maxRequestHeaderBytes}) and calls {@code
 * TakhinHandler}, which admits it (a permit of {@code maxConcurrentRequests}; none left: 429), matches
 * it in the {@code Router} (no path: 404, wrong method: 405 with Allow), refuses a declared body above
 * the route's limit (413), and calls the route's {@code Endpoint} with a {@code Call}. The endpoint
 * parses the body with Jackson's streaming parser, calls the {@link io.takhin.backend.Backend} and
 * returns a {@code Reply} (status, content type, whole body), which the handler writes. The permit is
 * returned when the response has been written.
 *
 * <h2>Wire format</h2>
 * JSON, snake_case fields, as fixed by {@code spec/http-api.md}; {@code openapi.yaml} in this
 * package's resources documents every route and is served at {@code /api/openapi.yaml}, with Swagger
 * UI at {@code /api/docs}. Errors are {@code {"error": "<sentence naming the field>", "code":
 * "<ErrorCode.wire()>"}}. A request body must be JSON: a missing Content-Type is tolerated, any other
 * type than {@code application/json} (or {@code application/*+json}) is 400 {@code malformed_request}.
 * Request objects reject unknown fields (400), so a misspelt field never passes silently.
 *
 * <h2>Invariants</h2>
 * H1. Every error response is produced by {@code ErrorMapper}: it alone chooses the status (from the
 *     exception's type and {@link io.takhin.common.ErrorCode}, never its message), and it alone logs,
 *     only unexpected failures (500 {@code internal}), once, with the stack trace. No stack trace or
 *     exception text of an unexpected failure reaches a client. Bad input is never a 500.
 * H2. Every route of {@code Routes} is documented in {@code openapi.yaml} and the document names no
 *     route the server does not serve.
 * H3. No request body is held in memory beyond its route's limit: a Content-Length above it is
 *     answered 413 before any byte is read, and a chunked body is cut off with 413 one byte past it.
 * H4. A request holds one permit from admission until its response is written, so at most {@code
 *     maxConcurrentRequests} requests are in flight; {@code close()} waits for the permits to drain.
 *     Exception (H6): a long poll gives its permit back once it has parked.
 * H5. A consume response moves the consumer's position only after it was written to the connection
 *     ({@code Reply.Delivery}); if the write fails, the same records are delivered again.
 * H6. Parked long polls hold no thread and no concurrency permit; the session layer's consumer limit
 *     (one poll per consumer) bounds how many there are.
 * H7. (with H5) A parked HTTP/1.1 long poll watches its socket ({@code ClientGoneWatch}): a client
 *     that closes it, or pipelines another request, ends the poll at once with no records, so records
 *     are never counted as delivered to a half-closed connection. The watch never reads, so pipelined
 *     bytes stay for Jetty's parser.
 * H8. A consume response is the same bytes whether its records were encoded by its own request or
 *     ahead of it ({@code EncodeAhead}, for a fetch the backend prepared: backend SPI B4); only
 *     the trailing timestamp is always written at send time. Bodies encoded ahead and not yet sent
 *     total at most {@code EncodeAhead.DEFAULT_BUDGET_BYTES}.
 *
 * <h2>Concurrency</h2>
 * Jetty's selector and acceptor threads are platform threads of a {@code QueuedThreadPool}; {@code
 * TakhinHandler} is a blocking handler, so Jetty runs each request's handling on a new virtual thread
 * where endpoints may block (reading the body, producing, admin calls). An endpoint may instead return
 * an incomplete {@link java.util.concurrent.CompletionStage} (long polls); the reply is then
 * written by the thread that completes it, which must not block. Endpoint classes are stateless and
 * thread-safe; per-request state lives in a {@code Call}, confined to that request.
 *
 * <h2>Failures</h2>
 * Client and environment errors are {@link io.takhin.common.TakhinException}s thrown by parsers or the
 * backend; {@code ErrorMapper} maps their codes. Errors Jetty detects itself (bad request line,
 * headers too large, broken chunking) are answered by {@code JsonErrorHandler} with the same body shape
 * and the status Jetty chose.
 */
@NullMarked
package io.takhin.http;

import org.jspecify.annotations.NullMarked;
