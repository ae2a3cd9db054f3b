package io.takhin.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.takhin.common.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** H2: the route table and openapi.yaml name exactly the same routes, and the document is consistent. */
class OpenApiCoverageTest {
    private static final Set<String> HTTP_METHODS =
            Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");
    private static final Pattern PATH_PARAM = Pattern.compile("\\{([^}]+)}");

    private static JsonNode document;
    private static Router router;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = OpenApiCoverageTest.class.getResourceAsStream("/io/takhin/http/openapi.yaml")) {
            assertThat(in).as("openapi.yaml on the classpath").isNotNull();
            document = new ObjectMapper(new YAMLFactory()).readTree(in);
        }
        router = Routes.router(new StubBackend(), new StubBackend().sessions(), HttpConfig.defaults());
    }

    private static Set<String> documentedOperations() {
        Set<String> operations = new TreeSet<>();
        for (Map.Entry<String, JsonNode> path : document.get("paths").properties()) {
            for (String key : iterable(path.getValue().fieldNames())) {
                if (HTTP_METHODS.contains(key)) {
                    operations.add(key.toUpperCase() + " " + path.getKey());
                }
            }
        }
        return operations;
    }

    private static Set<String> servedOperations() {
        Set<String> operations = new TreeSet<>();
        for (Router.Route route : router.routes()) {
            operations.add(route.method() + " " + route.template());
        }
        return operations;
    }

    @Test
    void everyRoute_isDocumented() {
        Set<String> missing = new TreeSet<>(servedOperations());
        missing.removeAll(documentedOperations());

        assertThat(missing)
                .as("routes the server serves but openapi.yaml does not document")
                .isEmpty();
    }

    @Test
    void everyDocumentedOperation_hasARoute() {
        Set<String> extra = new TreeSet<>(documentedOperations());
        extra.removeAll(servedOperations());

        assertThat(extra)
                .as("operations openapi.yaml documents but the server does not serve")
                .isEmpty();
    }

    @Test
    void document_isOpenApi31() {
        assertThat(document.get("openapi").asText()).startsWith("3.1.");
    }

    @Test
    void everyPathParameter_isDeclared() {
        List<String> undeclared = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : document.get("paths").properties()) {
            Matcher matcher = PATH_PARAM.matcher(path.getKey());
            while (matcher.find()) {
                String name = matcher.group(1);
                for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
                    if (HTTP_METHODS.contains(operation.getKey())
                            && !declares(path.getValue().get("parameters"), name)
                            && !declares(operation.getValue().get("parameters"), name)) {
                        undeclared.add(operation.getKey() + " " + path.getKey() + " {" + name + "}");
                    }
                }
            }
        }
        assertThat(undeclared).isEmpty();
    }

    @Test
    void everyOperation_documentsSuccessAndBusyAnswers() {
        for (Map.Entry<String, JsonNode> path : document.get("paths").properties()) {
            for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
                if (!HTTP_METHODS.contains(operation.getKey())) {
                    continue;
                }
                JsonNode responses = operation.getValue().get("responses");
                String where = operation.getKey() + " " + path.getKey();
                assertThat(responses.has("200") || responses.has("201"))
                        .as(where + " success")
                        .isTrue();
                assertThat(responses.has("429")).as(where + " 429").isTrue();
                assertThat(responses.has("503")).as(where + " 503").isTrue();
                if (operation.getValue().has("requestBody")) {
                    assertThat(responses.has("400")).as(where + " 400").isTrue();
                    assertThat(responses.has("413")).as(where + " 413").isTrue();
                }
            }
        }
    }

    @Test
    void everyRef_resolves() {
        List<String> refs = new ArrayList<>();
        collectRefs(document, refs);
        assertThat(refs).isNotEmpty();

        for (String ref : refs) {
            assertThat(ref).startsWith("#/");
            assertThat(document.at(ref.substring(1)).isMissingNode()).as(ref).isFalse();
        }
    }

    @Test
    void errorSchemaCodes_areExactlyTheErrorCodes() {
        Set<String> documented = new TreeSet<>();
        document.at("/components/schemas/Error/properties/code/enum").forEach(code -> documented.add(code.asText()));
        Set<String> wire = new TreeSet<>();
        Arrays.stream(ErrorCode.values()).forEach(code -> wire.add(code.wire()));

        assertThat(documented).isEqualTo(wire);
    }

    private static boolean declares(JsonNode parameters, String name) {
        if (parameters == null) {
            return false;
        }
        for (JsonNode parameter : parameters) {
            JsonNode resolved = parameter.has("$ref")
                    ? document.at(parameter.get("$ref").asText().substring(1))
                    : parameter;
            if (name.equals(resolved.path("name").asText())
                    && "path".equals(resolved.path("in").asText())) {
                return true;
            }
        }
        return false;
    }

    private static void collectRefs(JsonNode node, List<String> refs) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                if (field.getKey().equals("$ref")) {
                    refs.add(field.getValue().asText());
                } else {
                    collectRefs(field.getValue(), refs);
                }
            }
        } else if (node.isArray()) {
            node.forEach(child -> collectRefs(child, refs));
        }
    }

    private static <T> Iterable<T> iterable(java.util.Iterator<T> iterator) {
        return () -> iterator;
    }
}
