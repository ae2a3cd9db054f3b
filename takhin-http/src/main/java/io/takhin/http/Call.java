package io.takhin.http;

import io.takhin.common.ErrorCode;
import io.takhin.common.TakhinException;
import io.takhin.common.TopicNames;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Fields;
import org.jspecify.annotations.Nullable;

/**
 * What an endpoint sees of one request: the matched route, its path parameters, the query and the
 * body. Not thread-safe; confined to the request's handling (its virtual thread, then whoever completes
 * an async reply, never both at once).
 */
final class Call {
    private final Request request;
    private final Router.Route route;
    private final Map<String, String> pathParams;
    private @Nullable Fields query;

    Call(Request request, Router.Route route, Map<String, String> pathParams) {
        this.request = request;
        this.route = route;
        this.pathParams = pathParams;
    }

    /** A path parameter of the route's template; asking for one the template lacks is a bug. */
    String pathParam(String name) {
        String value = pathParams.get(name);
        if (value == null) {
            throw new IllegalStateException("route " + route.template() + " has no path parameter " + name);
        }
        return value;
    }

    /** The {@code {topic}} path parameter, checked against Kafka's naming rule (400 otherwise). */
    String topic() {
        String topic = pathParam("topic");
        TopicNames.validate(topic);
        return topic;
    }

    /** The first value of a query parameter. */
    Optional<String> queryParam(String name) {
        if (query == null) {
            try {
                query = Request.extractQueryParameters(request);
            } catch (RuntimeException e) {
                if (!(e instanceof HttpException)) {
                    throw e;
                }
                throw new TakhinException(ErrorCode.MALFORMED_REQUEST, "the query string is not valid URL encoding", e);
            }
        }
        return Optional.ofNullable(query.getValue(name));
    }

    /**
     * Runs {@code onGone} if the client may have left while the request waits (see {@link
     * ClientGoneWatch}); cancel the watch before writing the response.
     */
    ClientGoneWatch watchClientGone(Runnable onGone) {
        return ClientGoneWatch.start(request, onGone);
    }

    /** The client's IP address, as group descriptions show it. */
    String clientHost() {
        return Request.getRemoteAddr(request);
    }

    /**
     * Like {@link #jsonBody()}, for routes whose body is optional: an absent or empty body is
     * returned as zero bytes whatever its Content-Type says.
     */
    byte[] optionalJsonBody() {
        if (request.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH) == 0) {
            return new byte[0];
        }
        byte[] body = BodyReader.read(
                Request.asInputStream(request),
                request.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH),
                route.maxBodyBytes());
        if (body.length > 0) {
            BodyReader.checkJsonContentType(request.getHeaders().get(HttpHeader.CONTENT_TYPE));
        }
        return body;
    }

    /**
     * The JSON body, at most the route's {@link Router.Route#maxBodyBytes()} long (413 above it, 400 if
     * the Content-Type is not JSON). Blocks while the body arrives; call it on the virtual thread.
     */
    byte[] jsonBody() {
        BodyReader.checkJsonContentType(request.getHeaders().get(HttpHeader.CONTENT_TYPE));
        return BodyReader.read(
                Request.asInputStream(request),
                request.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH),
                route.maxBodyBytes());
    }
}
