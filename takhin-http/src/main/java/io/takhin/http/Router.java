package io.takhin.http;

import io.takhin.common.ErrorCode;
import io.takhin.common.TakhinException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Matches a method and a decoded path against path templates such as {@code /api/topics/{topic}}.
 * A template segment is a literal or a {@code {name}} parameter that matches one non-empty segment.
 * When several templates match a path, the most specific wins (a literal segment beats a parameter,
 * compared from the left), so {@code /api/consumers/subscribe} can sit next to
 * {@code /api/consumers/{consumer_id}}. Immutable and thread-safe.
 */
final class Router {
    /** One route: method, path template, the largest body it accepts, and its handler. */
    record Route(String method, String template, long maxBodyBytes, Endpoint endpoint, boolean longPoll) {
        /** A route whose requests answer promptly; each holds a concurrency permit until written. */
        Route(String method, String template, long maxBodyBytes, Endpoint endpoint) {
            this(method, template, maxBodyBytes, endpoint, false);
        }

        Route {
            if (!template.startsWith("/")) {
                throw new IllegalArgumentException("template must start with '/': " + template);
            }
        }

        List<String> segments() {
            return split(template);
        }
    }

    /** The outcome of matching a request. */
    sealed interface Match {
        record Found(Route route, Map<String, String> pathParams) implements Match {
            public Found {
                pathParams = Map.copyOf(pathParams);
            }
        }

        record NotFound() implements Match {}

        record MethodNotAllowed(Set<String> allowed) implements Match {
            public MethodNotAllowed {
                allowed = Set.copyOf(allowed);
            }
        }
    }

    private final List<Route> routes;
    private final List<List<String>> segmentsByRoute;

    Router(List<Route> routes) {
        this.routes = List.copyOf(routes);
        this.segmentsByRoute = this.routes.stream().map(Route::segments).toList();
        Set<String> seen = new LinkedHashSet<>();
        for (Route route : this.routes) {
            // Parameter names do not make two templates different: /a/{x} and /a/{y} would clash.
            String key = route.method() + " " + String.join("/", shape(route.segments()));
            if (!seen.add(key)) {
                throw new IllegalArgumentException("two routes for " + route.method() + " " + route.template());
            }
        }
    }

    /** Every route, in table order. */
    List<Route> routes() {
        return routes;
    }

    Match match(String method, String path) {
        List<String> pathSegments = split(path);
        Route best = null;
        List<String> bestSegments = null;
        Set<String> allowed = new LinkedHashSet<>();
        for (int i = 0; i < routes.size(); i++) {
            List<String> templateSegments = segmentsByRoute.get(i);
            if (!matches(templateSegments, pathSegments)) {
                continue;
            }
            Route route = routes.get(i);
            allowed.add(route.method());
            if (route.method().equals(method)
                    && (bestSegments == null || moreSpecific(templateSegments, bestSegments))) {
                best = route;
                bestSegments = templateSegments;
            }
        }
        if (best != null) {
            return new Match.Found(best, params(bestSegments, pathSegments));
        }
        return allowed.isEmpty() ? new Match.NotFound() : new Match.MethodNotAllowed(allowed);
    }

    private static boolean matches(List<String> template, List<String> path) {
        if (template.size() != path.size()) {
            return false;
        }
        for (int i = 0; i < template.size(); i++) {
            String segment = template.get(i);
            String actual = path.get(i);
            if (isParam(segment) ? actual.isEmpty() : !segment.equals(actual)) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code a} is more specific than {@code b}: at the first difference, a literal beats a parameter. */
    private static boolean moreSpecific(List<String> a, List<String> b) {
        for (int i = 0; i < a.size(); i++) {
            boolean aParam = isParam(a.get(i));
            boolean bParam = isParam(b.get(i));
            if (aParam != bParam) {
                return bParam;
            }
        }
        return false;
    }

    private static Map<String, String> params(List<String> template, List<String> path) {
        Map<String, String> params = new HashMap<>();
        for (int i = 0; i < template.size(); i++) {
            String segment = template.get(i);
            if (isParam(segment)) {
                params.put(segment.substring(1, segment.length() - 1), decode(path.get(i)));
            }
        }
        return params;
    }

    /**
     * Percent-decodes a path parameter (a group id may hold spaces or non-ASCII); '+' stays '+' in
     * a path. Jetty has already refused ambiguous encodings such as %2F and %25.
     */
    private static String decode(String segment) {
        if (segment.indexOf('%') < 0) {
            return segment;
        }
        try {
            return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new TakhinException(
                    ErrorCode.MALFORMED_REQUEST, "the path segment '" + segment + "' is not valid percent-encoding");
        }
    }

    private static List<String> shape(List<String> segments) {
        return segments.stream().map(s -> isParam(s) ? "{}" : s).toList();
    }

    private static boolean isParam(String segment) {
        return segment.length() > 2 && segment.startsWith("{") && segment.endsWith("}");
    }

    /**
     * "/api/topics/x" to [api, topics, x]. A trailing slash leaves an empty last segment, so
     * "/api/topics/" matches neither "/api/topics" nor "/api/topics/{topic}".
     */
    static List<String> split(@Nullable String path) {
        if (path == null || path.isEmpty() || path.equals("/")) {
            return List.of();
        }
        String rest = path.startsWith("/") ? path.substring(1) : path;
        List<String> segments = new ArrayList<>();
        int start = 0;
        while (true) {
            int slash = rest.indexOf('/', start);
            if (slash < 0) {
                segments.add(rest.substring(start));
                return segments;
            }
            segments.add(rest.substring(start, slash));
            start = slash + 1;
        }
    }
}
