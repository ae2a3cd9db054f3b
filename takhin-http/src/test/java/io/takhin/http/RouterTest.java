package io.takhin.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class RouterTest {
    private static final Endpoint NOTHING = call -> new CompletableFuture<>();

    private static Router.Route route(String method, String template) {
        return new Router.Route(method, template, 1024, NOTHING);
    }

    private final Router router = new Router(List.of(
            route("GET", "/api/topics"),
            route("POST", "/api/topics"),
            route("GET", "/api/topics/{topic}"),
            route("DELETE", "/api/topics/{topic}"),
            route("POST", "/api/topics/{topic}/produce"),
            route("POST", "/api/consumers/subscribe"),
            route("DELETE", "/api/consumers/{consumer_id}"),
            route("GET", "/api/consumers/{consumer_id}/assignment"),
            route("PUT", "/api/consumers/{consumer_id}/assignment")));

    @Test
    void match_literalPath_findsRouteWithoutParams() {
        var match = router.match("GET", "/api/topics");

        assertThat(match).isInstanceOfSatisfying(Router.Match.Found.class, found -> {
            assertThat(found.route().template()).isEqualTo("/api/topics");
            assertThat(found.pathParams()).isEmpty();
        });
    }

    @Test
    void match_templatePath_extractsParams() {
        var match = router.match("POST", "/api/topics/orders.v2/produce");

        assertThat(match).isInstanceOfSatisfying(Router.Match.Found.class, found -> {
            assertThat(found.route().template()).isEqualTo("/api/topics/{topic}/produce");
            assertThat(found.pathParams()).isEqualTo(Map.of("topic", "orders.v2"));
        });
    }

    @Test
    void match_sameTemplateDifferentMethod_picksByMethod() {
        var match = router.match("DELETE", "/api/topics/orders");

        assertThat(match)
                .isInstanceOfSatisfying(
                        Router.Match.Found.class,
                        found -> assertThat(found.route().method()).isEqualTo("DELETE"));
    }

    @Test
    void match_unknownPath_isNotFound() {
        assertThat(router.match("GET", "/api/nothing")).isInstanceOf(Router.Match.NotFound.class);
        assertThat(router.match("GET", "/")).isInstanceOf(Router.Match.NotFound.class);
        assertThat(router.match("GET", "/api/topics/orders/produce/more")).isInstanceOf(Router.Match.NotFound.class);
    }

    @Test
    void match_trailingSlash_isNotFound() {
        // "/api/topics/" would otherwise be a topic with an empty name.
        assertThat(router.match("GET", "/api/topics/")).isInstanceOf(Router.Match.NotFound.class);
    }

    @Test
    void match_emptySegmentForParam_isNotFound() {
        assertThat(router.match("POST", "/api/topics//produce")).isInstanceOf(Router.Match.NotFound.class);
    }

    @Test
    void match_knownPathWrongMethod_isMethodNotAllowedWithEveryAllowedMethod() {
        var match = router.match("PATCH", "/api/topics/orders");

        assertThat(match)
                .isInstanceOfSatisfying(
                        Router.Match.MethodNotAllowed.class,
                        notAllowed -> assertThat(notAllowed.allowed()).isEqualTo(Set.of("GET", "DELETE")));
    }

    @Test
    void match_literalSegment_beatsParameter() {
        var match = router.match("POST", "/api/consumers/subscribe");

        assertThat(match)
                .isInstanceOfSatisfying(
                        Router.Match.Found.class,
                        found -> assertThat(found.route().template()).isEqualTo("/api/consumers/subscribe"));
    }

    @Test
    void match_pathMatchingLiteralAndParamTemplates_usesMethodToChoose() {
        // DELETE is served only by the parameter template; the literal "subscribe" does not hide it.
        var match = router.match("DELETE", "/api/consumers/subscribe");

        assertThat(match).isInstanceOfSatisfying(Router.Match.Found.class, found -> {
            assertThat(found.route().template()).isEqualTo("/api/consumers/{consumer_id}");
            assertThat(found.pathParams()).isEqualTo(Map.of("consumer_id", "subscribe"));
        });
    }

    @Test
    void match_wrongMethodOnPathMatchingSeveralTemplates_allowsTheirUnion() {
        var match = router.match("GET", "/api/consumers/subscribe");

        assertThat(match)
                .isInstanceOfSatisfying(
                        Router.Match.MethodNotAllowed.class,
                        notAllowed -> assertThat(notAllowed.allowed()).isEqualTo(Set.of("POST", "DELETE")));
    }

    @Test
    void constructor_sameMethodAndShapeTwice_isRejected() {
        assertThatThrownBy(() -> new Router(List.of(route("GET", "/a/{x}"), route("GET", "/a/{y}"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("GET /a/{y}");
    }

    @Test
    void split_givesSegmentsWithTrailingEmpty() {
        assertThat(Router.split("/api/topics")).containsExactly("api", "topics");
        assertThat(Router.split("/api/topics/")).containsExactly("api", "topics", "");
        assertThat(Router.split("/")).isEmpty();
    }
}
