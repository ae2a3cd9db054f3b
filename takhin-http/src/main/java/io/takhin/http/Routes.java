package io.takhin.http;

import io.takhin.backend.Backend;
import io.takhin.common.Time;
import io.takhin.session.ConsumerSessions;
import java.util.List;

/**
 * The route table: every method and path the server answers, in one place (package invariant H2:
 * each of them is in {@code openapi.yaml}, and nothing else is; {@code OpenApiCoverageTest} checks
 * both directions).
 */
final class Routes {
    static final String GET = "GET";
    static final String POST = "POST";
    static final String PUT = "PUT";
    static final String DELETE = "DELETE";

    private Routes() {}

    /** The router for {@code backend}; builds the endpoints but calls nothing on the backend. */
    static Router router(Backend backend, ConsumerSessions sessions, HttpConfig config) {
        TopicEndpoints topics = new TopicEndpoints(backend, config.maxPartitionsPerTopic());
        ConsumerEndpoints consumers = new ConsumerEndpoints(sessions, Time.SYSTEM);
        GroupEndpoints groups = new GroupEndpoints(backend);
        ProduceEndpoint produce = new ProduceEndpoint(backend);
        DocsEndpoints docs = DocsEndpoints.load();
        long body = config.maxRequestBodyBytes();
        long produceBody = config.maxProduceBodyBytes();
        return new Router(List.of(
                // §2 Topics
                route(POST, "/api/topics", body, topics::create),
                route(GET, "/api/topics", body, topics::list),
                route(GET, "/api/topics/{topic}", body, topics::describe),
                route(DELETE, "/api/topics/{topic}", body, topics::delete),
                // §3 Produce
                route(POST, "/api/topics/{topic}/produce", produceBody, produce::produce),
                // §1 Consumers
                route(POST, "/api/consumers/subscribe", body, consumers::subscribe),
                new Router.Route(POST, "/api/consumers/{consumer_id}/consume", body, consumers::consume, true),
                route(POST, "/api/consumers/{consumer_id}/commit", body, consumers::commit),
                route(POST, "/api/consumers/{consumer_id}/seek", body, consumers::seek),
                route(PUT, "/api/consumers/{consumer_id}/assignment", body, consumers::assign),
                route(GET, "/api/consumers/{consumer_id}/assignment", body, consumers::assignment),
                route(GET, "/api/consumers/{consumer_id}/position", body, consumers::position),
                route(DELETE, "/api/consumers/{consumer_id}", body, consumers::close),
                // §4 Consumer groups
                route(GET, "/api/consumer-groups", body, groups::list),
                route(GET, "/api/consumer-groups/{group}", body, groups::describe),
                // §5 Operations
                route(GET, "/api/health", body, call -> health(backend)),
                route(GET, "/api/openapi.yaml", body, docs::openApi),
                route(GET, "/api/docs", body, docs::page),
                route(GET, "/api/docs/{asset}", body, docs::asset)));
    }

    private static Router.Route route(String method, String template, long maxBodyBytes, Endpoint.Blocking handler) {
        return new Router.Route(method, template, maxBodyBytes, Endpoint.blocking(handler));
    }

    /**
     * GET /api/health: 200 {"status": "ok", "backend": "<name>"}, or 503 {"status":
     * "backend_unavailable", "backend": "<name>", "detail": "<why>"} while the backend cannot serve.
     */
    private static Reply health(Backend backend) {
        String name = backend.name();
        Backend.Status status = backend.status();
        return Reply.json(status.available() ? 200 : 503, Json.bytes(g -> {
            g.writeStartObject();
            g.writeStringField("status", status.available() ? "ok" : "backend_unavailable");
            g.writeStringField("backend", name);
            if (!status.available()) {
                g.writeStringField("detail", status.detail());
            }
            g.writeEndObject();
        }));
    }
}
